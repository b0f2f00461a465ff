namespace ConR.Api.Hosting;

// Source-generated log messages with stable event ids; units are in the property names.
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Model {Model} version {Version} loaded on {ExecutionProvider} (task {Task}, batches up to {MaxBatchSize})")]
    public static partial void ModelLoaded(ILogger logger, string model, int version, string executionProvider, string task, int maxBatchSize);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Model {Model} version {Version} warmed up in {ElapsedMs:F0} ms")]
    public static partial void ModelWarmedUp(ILogger logger, string model, int version, double elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Model {Model} now serves version {NewVersion} (was {OldVersion}); the old version is disposed after its {InFlight} in-flight request(s) finish")]
    public static partial void ModelSwapped(ILogger logger, string model, int oldVersion, int newVersion, int inFlight);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Loading model {Model} (version {RequestedVersion}) failed; still serving version {ServingVersion}: {Reason}")]
    public static partial void ModelLoadFailed(ILogger logger, string model, int? requestedVersion, int? servingVersion, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Model {Model} version {Version} retired, drained and disposed")]
    public static partial void ModelDisposed(ILogger logger, string model, int version);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Disposing model {Model} version {Version} failed")]
    public static partial void ModelDisposeFailed(ILogger logger, string model, int version, Exception exception);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Inference:Device is 'auto' and CUDA cannot be used ({Reason}); models run on the CPU execution provider")]
    public static partial void DeviceAutoOnCpu(ILogger logger, string reason);

    // The reason was logged once at start-up (event 10); repeating its long native message per model was noise.
    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Model {Model} version {Version}: using CPUExecutionProvider (CUDA unavailable, see the start-up warning)")]
    public static partial void CudaUnavailable(ILogger logger, string model, int version);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Model {Model} version {Version}: the CUDA session could not be created ({Reason}); falling back to CPUExecutionProvider")]
    public static partial void CudaSessionFailed(ILogger logger, string model, int version, string reason);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Model {Model}: a run on {ExecutionProvider} failed; this batch is served by the CPU session")]
    public static partial void PrimaryRunFailed(ILogger logger, string model, string executionProvider, Exception? exception);

    [LoggerMessage(EventId = 14, Level = LogLevel.Error, Message = "Model {Model}: the {ExecutionProvider} session keeps failing ({Reason}); circuit opened, serving on CPUExecutionProvider, retrying {ExecutionProvider} in {BreakSeconds} s")]
    public static partial void CpuFallbackActivated(ILogger logger, string model, string executionProvider, string reason, double breakSeconds);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "Model {Model}: {ExecutionProvider} works again; circuit closed, CPU fallback ended")]
    public static partial void CpuFallbackEnded(ILogger logger, string model, string executionProvider);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Model {Model}: a batch of {Images} image(s) exceeded {TimeoutMs} ms and was terminated")]
    public static partial void InferenceTimedOut(ILogger logger, string model, int images, int timeoutMs);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Model {Model}: a batch of {Images} image(s) failed")]
    public static partial void InferenceFailed(ILogger logger, string model, int images, Exception exception);

    [LoggerMessage(EventId = 30, Level = LogLevel.Critical, Message = "Model packages failed to load at start-up; stopping: {Failures}")]
    public static partial void StartupLoadFailed(ILogger logger, string failures);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "Ready: {Models} loaded and warmed up")]
    public static partial void Ready(ILogger logger, string models);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "Image path warmed up: {Images} images decoded and preprocessed in {ElapsedMs:F0} ms")]
    public static partial void ImagePathWarmedUp(ILogger logger, int images, double elapsedMs);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Image path warm-up skipped; the first requests will be slower: {Reason}")]
    public static partial void ImagePathWarmupSkipped(ILogger logger, string reason);

    [LoggerMessage(EventId = 40, Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    public static partial void UnhandledException(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Admin request to {Path} refused: {Reason}")]
    public static partial void AdminRefused(ILogger logger, string path, string reason);
}
