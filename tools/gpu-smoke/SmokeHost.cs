using ConR.Api.Metrics;
using ConR.Api.Models;
using ConR.Api.Onnx;
using ConR.Api.Options;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConR.GpuSmoke;

/// <summary>
/// The API's model-loading objects, wired as the service wires them (InferenceServiceCollectionExtensions) for one
/// repository and device: its layout, its ONNX Runtime session factory and its <see cref="ModelLoader"/>, which reads
/// and validates the card, checks the ONNX digest, creates the session on the device and warms it up.
/// </summary>
internal sealed class SmokeHost
{
    private readonly ModelRepositoryLayout layout;
    private readonly ModelLoader loader;

    public SmokeHost(SmokeArguments arguments, ILoggerFactory loggerFactory)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new InferenceOptions
        {
            ModelRepository = Path.GetFullPath(arguments.Models),
            Device = arguments.Device,
            CudaDeviceId = arguments.DeviceId,

            // Warm-up runs batch 1 and the largest batch: let that be the largest batch timed, so its kernels are
            // chosen before the clock starts.
            MaxBatchSize = arguments.Batches.Max(),
            MaxQueueLength = 256,
        });
        var environment = new SmokeEnvironment(Directory.GetCurrentDirectory());
        layout = new ModelRepositoryLayout(options, environment);
        Factory = new OnnxBackendFactory(options);
        loader = new ModelLoader(layout, Factory, options, new ApiMetrics(), loggerFactory);
    }

    public IInferenceBackendFactory Factory { get; }

    public string Repository => layout.Root;

    public IReadOnlyList<string> ModelNames() => layout.ModelNames();

    /// <summary>The newest version of <paramref name="name"/>, loaded and warmed up as the service loads it.</summary>
    /// <exception cref="ConR.Api.Errors.ApiProblemException">The package does not load (the reason in its message).</exception>
    public LoadedModel Load(string name) => loader.Load(name, version: null, CancellationToken.None);

    private sealed class SmokeEnvironment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;

        public string ApplicationName { get; set; } = "ConR.GpuSmoke";

        public string ContentRootPath { get; set; } = contentRoot;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
