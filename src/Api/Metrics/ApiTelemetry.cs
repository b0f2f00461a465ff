using System.Diagnostics;

namespace ConR.Api.Metrics;

/// <summary>
/// The names the service's telemetry is found by: the <c>Meter</c> (one per host, from IMeterFactory, see
/// <see cref="ApiMetrics"/>) and the <see cref="ActivitySource"/> of the decode, queue-wait and inference spans.
/// </summary>
internal static class ApiTelemetry
{
    public const string Name = "ConR.Api";

    public const string DecodeSpan = "conr.decode";

    public const string QueueWaitSpan = "conr.queue_wait";

    public const string InferenceSpan = "conr.inference";

    // One per process, as ActivitySource is meant to be: listeners (OpenTelemetry's TracerProvider) are what a host
    // adds, and StartActivity costs a null check while no listener samples it.
    public static readonly ActivitySource Source = new(Name, typeof(ApiTelemetry).Assembly.GetName().Version?.ToString());
}
