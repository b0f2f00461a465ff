using System.Text;

namespace ConR.Api.Metrics;

/// <summary>The service's metrics (names after Triton's and TorchServe's), exposed at GET /metrics.</summary>
internal sealed class ApiMetrics
{
    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly double[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    private readonly PrometheusRegistry registry = new();
    private Func<IEnumerable<ModelGaugeSample>> models = () => [];

    public ApiMetrics()
    {
        HttpRequests = registry.Counter("conr_http_requests_total", "HTTP requests by route template and status code.", "method", "route", "status");
        HttpDuration = registry.Histogram("conr_http_request_duration_seconds", "HTTP request latency, first byte in to last byte out.", LatencyBuckets, "method", "route");
        BatchSize = registry.Histogram("conr_inference_batch_size", "Images per ONNX Runtime run (dynamic batching).", BatchBuckets, "model");
        InferenceDuration = registry.Histogram("conr_inference_duration_seconds", "Time of one ONNX Runtime run (one batch).", LatencyBuckets, "model", "provider");
        QueueWait = registry.Histogram("conr_inference_queue_wait_seconds", "Time an image waited in its model's queue before its batch ran.", LatencyBuckets, "model");
        Rejected = registry.Counter("conr_inference_rejected_total", "Images not inferred: queue_full (503), timeout (504), failed (500).", "model", "reason");
        ModelLoads = registry.Counter("conr_model_load_total", "Model load attempts at start-up and through the admin route, by outcome (loaded, failed).", "model", "outcome");
        CpuFallbacks = registry.Counter("conr_cpu_fallback_total", "Times a model's failing CUDA session was switched to its CPU session (circuit opened).", "model");
        CpuFallbackRuns = registry.Counter("conr_cpu_fallback_runs_total", "Batches served by the CPU session because the CUDA session failed or its circuit was open.", "model");
        registry.Gauge("conr_inference_queue_depth", "Images waiting in the model's queue now.", ["model"], () => models().Select(m => (Labels: new[] { m.Model }, Value: (double)m.QueueDepth)));
        registry.Gauge("conr_model_ready", "1 when the model is loaded and warmed up.", ["model"], () => models().Select(m => (Labels: new[] { m.Model }, Value: m.Ready ? 1.0 : 0.0)));
        registry.Gauge("conr_model_version", "The version being served (0 when none).", ["model"], () => models().Select(m => (Labels: new[] { m.Model }, Value: (double)m.Version)));
        registry.Gauge("conr_cpu_fallback_active", "1 while a model that has a CUDA session is served by its CPU session.", ["model"], () => models().Select(m => (Labels: new[] { m.Model }, Value: m.CpuFallbackActive ? 1.0 : 0.0)));
    }

    public Counter HttpRequests { get; }

    public Histogram HttpDuration { get; }

    public Histogram BatchSize { get; }

    public Histogram InferenceDuration { get; }

    public Histogram QueueWait { get; }

    public Counter Rejected { get; }

    public Counter ModelLoads { get; }

    public Counter CpuFallbacks { get; }

    public Counter CpuFallbackRuns { get; }

    /// <summary>Where the per-model gauges are read from (the model registry registers itself).</summary>
    public void ObserveModels(Func<IEnumerable<ModelGaugeSample>> source) => models = source;

    public string Scrape()
    {
        var text = new StringBuilder(4096);
        registry.WriteTo(text);
        return text.ToString();
    }
}

/// <summary>One model's state at scrape time.</summary>
internal readonly record struct ModelGaugeSample(string Model, int QueueDepth, bool Ready, int Version, bool CpuFallbackActive);
