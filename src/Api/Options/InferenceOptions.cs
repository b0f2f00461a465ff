using System.ComponentModel.DataAnnotations;
using ConR.Shared.Preprocessing;

namespace ConR.Api.Options;

/// <summary>The "Inference" configuration section: where the models are, where they run, batching and input limits.</summary>
internal sealed class InferenceOptions
{
    public const string SectionName = "Inference";

    /// <summary>The most images one request may carry (the batch endpoints and KServe's N).</summary>
    public const int MaxImagesPerRequest = 32;

    /// <summary>
    /// The model repository, REPO/NAME/VERSION/{model.onnx, model.json}; a relative path is resolved against the
    /// content root (src/Api under <c>dotnet run</c>).
    /// </summary>
    /// <value>The default is the repository's bundled <c>models/</c> folder.</value>
    [Required]
    public string ModelRepository { get; set; } = Path.Combine("..", "..", "models");

    /// <summary>The model names to load at start-up (their newest version each).</summary>
    /// <value>The default, empty, loads every model in the repository.</value>
    public IList<string> Models { get; } = [];

    /// <value>The default is <see cref="InferenceDevice.Auto"/>.</value>
    public InferenceDevice Device { get; set; } = InferenceDevice.Auto;

    /// <value>The default is GPU 0.</value>
    [Range(0, 64)]
    public int CudaDeviceId { get; set; }

    /// <summary>The most images run together in one ONNX Runtime call; 1 turns dynamic batching off.</summary>
    /// <value>The default is 16.</value>
    [Range(1, 256)]
    public int MaxBatchSize { get; set; } = 16;

    /// <summary>
    /// How long the first queued image may wait for others to fill its batch; it waits only while other requests
    /// are still preparing their images, so a lone request never pays it.
    /// </summary>
    /// <value>The default is 2 ms; 0 takes whatever is queued when the worker is free.</value>
    [Range(0, 1000)]
    public int MaxQueueDelayMs { get; set; } = 2;

    /// <summary>Images that may wait per model; beyond it requests get 503 with Retry-After.</summary>
    /// <value>The default is 256.</value>
    [Range(1, 100_000)]
    public int MaxQueueLength { get; set; } = 256;

    /// <summary>Time one batch may run before it is terminated (504).</summary>
    /// <value>The default is 10 s.</value>
    [Range(1, 600_000)]
    public int InferenceTimeoutMs { get; set; } = 10_000;

    /// <summary>Time the warm-up inferences of one load may take (a first CUDA run can be slow).</summary>
    /// <value>The default is 120 s.</value>
    [Range(1, 3_600_000)]
    public int WarmupTimeoutMs { get; set; } = 120_000;

    /// <summary>
    /// How many times the bundled 200x200 warm-up JPEG and PNG are decoded and preprocessed at start-up, before the
    /// service is ready, so that the first requests do not wait for the JIT to compile the decoders; 0 skips it.
    /// </summary>
    /// <value>The default is 32, just past the JIT's 30 calls before it recompiles a method optimised (about 0.3 s).</value>
    [Range(0, 10_000)]
    public int WarmupImages { get; set; } = 32;

    /// <summary>Images decoded and preprocessed at the same time, across all requests; 0 = no limit.</summary>
    /// <value>The default is the number of cores.</value>
    [Range(0, 4096)]
    public int MaxConcurrentDecodes { get; set; } = Environment.ProcessorCount;

    /// <summary>Largest accepted image file (413 above).</summary>
    /// <value>The default is 10 MB (10 × 1024 × 1024 bytes).</value>
    [Range(1, 1L << 30)]
    public long MaxUploadBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>Largest accepted width × height, read from the header before any decoding (413 above).</summary>
    /// <value>The default is 40 megapixels.</value>
    [Range(1, 1_000_000_000)]
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>The longest accepted side in pixels, read from the header before any decoding (413 above).</summary>
    /// <value>The default is 16384.</value>
    [Range(1, 1_000_000)]
    public int MaxSide { get; set; } = 16_384;

    /// <summary>
    /// The largest ratio of an image's longer side to its shorter, checked from the header before decoding (422): a
    /// 1 x 4,000,000 PNG is under <see cref="MaxPixels"/> and 174 bytes, yet costs seconds of CPU and gigabytes to resize.
    /// </summary>
    /// <value>The default is 20.</value>
    [Range(1.0, 10_000.0)]
    public double MaxAspectRatio { get; set; } = SafeImageDecoder.DefaultMaxAspectRatio;

    /// <value>The default is 2 s.</value>
    [Range(1, 60_000)]
    public int IdentifyTimeoutMs { get; set; } = 2_000;

    /// <value>The default is 10 s.</value>
    [Range(1, 600_000)]
    public int DecodeTimeoutMs { get; set; } = 10_000;

    /// <summary>Largest multipart body of /v1/age/batch (all its images together; 413 above).</summary>
    /// <value>The default is 64 MB.</value>
    [Range(1, 1L << 31)]
    public long MaxBatchUploadBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Largest KServe v2 JSON request body (413 above). The body is parsed as it streams in and never held whole, so
    /// this bounds bandwidth, not memory.
    /// </summary>
    /// <value>
    /// The default, none, sizes it per model from the largest valid request: 32 images of the card's input at 64 bytes
    /// per number (17 significant digits, exponent, separator, and the indentation of a nested array pretty-printed with
    /// indent 4) plus 64 KiB: 25.2 MB for a 3x64x64 input.
    /// </value>
    [Range(1, 1L << 31)]
    public long? MaxInferRequestBytes { get; set; }

    /// <summary>The <c>X-Api-Key</c> the admin route (model load) requires; at least 16 characters.</summary>
    /// <value>The default, none, disables the admin route (403).</value>
    public string? AdminApiKey { get; set; }

    /// <value>The default is "age".</value>
    [Required]
    public string AgeModel { get; set; } = "age";

    /// <value>The default is "depth".</value>
    [Required]
    public string DepthModel { get; set; } = "depth";

    /// <summary>ONNX Runtime intra-op threads per session.</summary>
    /// <value>The default, 0, lets ONNX Runtime use one per core.</value>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    /// <summary>Whether ONNX Runtime's idle threads spin; faster back-to-back runs, but burns CPU the web server needs.</summary>
    /// <value>The default is false.</value>
    public bool AllowSpinning { get; set; }

    /// <summary>Runs of a CUDA session, within 30 s, before half of them failing switches the model to its CPU session.</summary>
    /// <value>The default is 4.</value>
    [Range(2, 10_000)]
    public int CircuitBreakerMinimumThroughput { get; set; } = 4;

    /// <summary>How long a model stays on its CPU session before CUDA is tried again.</summary>
    /// <value>The default is 60 s.</value>
    [Range(1, 86_400)]
    public int CircuitBreakDurationSeconds { get; set; } = 60;

    /// <summary>The interval levels offered; each must be calibrated in the model card.</summary>
    public static IReadOnlyList<double> Levels { get; } = [0.8, 0.9, 0.95];

    /// <summary>The level used when a request names none.</summary>
    public const double DefaultLevel = 0.9;

    /// <summary>
    /// The label mix an interval is calibrated for when a request names none: the training split's mix, which is what a
    /// service fed like the training data sees (<see cref="ConR.Shared.Calibration.LabelMix"/>).
    /// </summary>
    public const string DefaultMix = ConR.Shared.Calibration.LabelMix.Natural;
}
