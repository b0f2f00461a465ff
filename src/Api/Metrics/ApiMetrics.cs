using System.Diagnostics.Metrics;
using System.Text;

namespace ConR.Api.Metrics;

/// <summary>
/// The service's metrics: System.Diagnostics.Metrics instruments on the host's "ConR.Api" meter, which
/// OpenTelemetry exports (see <see cref="TelemetryServiceCollectionExtensions"/>), and the same measurements
/// written as Prometheus text at GET /metrics (names after Triton's and TorchServe's).
/// </summary>
/// <remarks>
/// One source of truth: call sites record on the instruments only; a <see cref="MeterListener"/> of this instance,
/// enabled for this meter's instruments alone, aggregates them into the <see cref="PrometheusRegistry"/>. The meter
/// comes from the host's IMeterFactory, so test hosts in one process never share series. Each instrument is named by
/// OpenTelemetry's conventions, and its Prometheus name is what OpenTelemetry's Prometheus translation makes of it
/// (dots to underscores, unit "s" to _seconds, counters _total), so a collector that re-exports OTLP as Prometheus
/// yields the names /metrics writes; <see cref="PrometheusNames"/> lists the pairs.
/// </remarks>
internal sealed class ApiMetrics : IDisposable
{
    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    private readonly Meter meter;
    private readonly bool ownsMeter;
    private readonly PrometheusRegistry registry = new();
    private readonly MeterListener listener = new();
    private readonly Dictionary<Instrument, object> sinks = [];
    private readonly List<(Instrument Instrument, string PrometheusName)> names = [];
    private Func<IEnumerable<ModelGaugeSample>> models = () => [];

    /// <summary>A meter of its own, for code outside a host (tools, manifest tests).</summary>
    public ApiMetrics()
        : this(meter: new Meter(ApiTelemetry.Name), ownsMeter: true)
    {
    }

    /// <summary>The host's meter: disposed with the host's IMeterFactory.</summary>
    public ApiMetrics(IMeterFactory meterFactory)
        : this(meterFactory.Create(ApiTelemetry.Name), ownsMeter: false)
    {
    }

    private ApiMetrics(Meter meter, bool ownsMeter)
    {
        this.meter = meter;
        this.ownsMeter = ownsMeter;
        HttpRequests = Counter("conr.http.requests", "{request}", "conr_http_requests_total", "HTTP requests by route template and status code.", "method", "route", "status");
        HttpDuration = Histogram("conr.http.request.duration", "s", "conr_http_request_duration_seconds", "HTTP request latency, first byte in to last byte out.", LatencyBuckets, "method", "route");
        BatchSize = Histogram("conr.inference.batch.size", "{image}", "conr_inference_batch_size", "Images per ONNX Runtime run (dynamic batching).", BatchBuckets, "model");
        InferenceDuration = Histogram("conr.inference.duration", "s", "conr_inference_duration_seconds", "Time of one ONNX Runtime run (one batch).", LatencyBuckets, "model", "provider");
        QueueWait = Histogram("conr.inference.queue.wait", "s", "conr_inference_queue_wait_seconds", "Time an image waited in its model's queue before its batch ran.", LatencyBuckets, "model");
        Rejected = Counter("conr.inference.rejected", "{image}", "conr_inference_rejected_total", "Images not inferred: too_large (413: more than the queue holds), queue_full (503), timeout (504), failed (500).", "model", "reason");
        ModelLoads = Counter("conr.model.load", "{load}", "conr_model_load_total", "Model load attempts at start-up and through the admin route, by outcome (loaded, failed).", "model", "outcome");
        CpuFallbacks = Counter("conr.cpu_fallback", "{fallback}", "conr_cpu_fallback_total", "Times a model's failing CUDA session was switched to its CPU session (circuit opened).", "model");
        CpuFallbackRuns = Counter("conr.cpu_fallback.runs", "{batch}", "conr_cpu_fallback_runs_total", "Batches served by the CPU session because the CUDA session failed or its circuit was open.", "model");
        Gauge("conr.inference.queue.depth", "{image}", "conr_inference_queue_depth", "Images waiting in the model's queue now.", m => m.QueueDepth);
        Gauge("conr.model.ready", null, "conr_model_ready", "1 when the model is loaded and warmed up.", m => m.Ready ? 1 : 0);
        Gauge("conr.model.version", null, "conr_model_version", "The version being served (0 when none).", m => m.Version);
        Gauge("conr.cpu_fallback.active", null, "conr_cpu_fallback_active", "1 while a model that has a CUDA session is served by its CPU session.", m => m.CpuFallbackActive ? 1 : 0);

        // Every instrument in the process is published to every listener: take this meter's own, by reference.
        listener.InstrumentPublished = (instrument, self) =>
        {
            if (sinks.TryGetValue(instrument, out var sink))
            {
                self.EnableMeasurementEvents(instrument, sink);
            }
        };
        listener.SetMeasurementEventCallback<long>(static (_, value, tags, sink) => ((LabeledCounter)sink!).Receive(value, tags));
        listener.SetMeasurementEventCallback<double>(static (_, value, tags, sink) => ((LabeledHistogram<double>)sink!).Receive(value, tags));
        listener.SetMeasurementEventCallback<int>(static (_, value, tags, sink) => ((LabeledHistogram<int>)sink!).Receive(value, tags));
        listener.Start();
    }

    public LabeledCounter HttpRequests { get; }

    public LabeledHistogram<double> HttpDuration { get; }

    public LabeledHistogram<int> BatchSize { get; }

    public LabeledHistogram<double> InferenceDuration { get; }

    public LabeledHistogram<double> QueueWait { get; }

    public LabeledCounter Rejected { get; }

    public LabeledCounter ModelLoads { get; }

    public LabeledCounter CpuFallbacks { get; }

    public LabeledCounter CpuFallbackRuns { get; }

    /// <summary>Gets each instrument with the name /metrics writes it under (the documented mapping, and its test).</summary>
    public IReadOnlyList<(Instrument Instrument, string PrometheusName)> PrometheusNames => names;

    /// <summary>Where the per-model gauges are read from (the model registry registers itself).</summary>
    public void ObserveModels(Func<IEnumerable<ModelGaugeSample>> source) => models = source;

    public string Scrape()
    {
        var text = new StringBuilder(4096);
        registry.WriteTo(text);
        return text.ToString();
    }

    public void Dispose()
    {
        listener.Dispose();
        if (ownsMeter)
        {
            meter.Dispose();
        }
    }

    private LabeledCounter Counter(string name, string unit, string prometheusName, string help, params string[] labelNames)
    {
        var instrument = meter.CreateCounter<long>(name, unit, help);
        var counter = new LabeledCounter(instrument, registry.Counter(prometheusName, help, labelNames), labelNames);
        Add(instrument, counter, prometheusName);
        return counter;
    }

    private LabeledHistogram<T> Histogram<T>(string name, string unit, string prometheusName, string help, T[] buckets, params string[] labelNames)
        where T : struct, IConvertible
    {
        // The advice carries the buckets to OpenTelemetry too, so both see the same histogram.
        var instrument = meter.CreateHistogram(name, unit, help, tags: null, advice: new InstrumentAdvice<T> { HistogramBucketBoundaries = buckets });
        var bounds = buckets.Select(b => b.ToDouble(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var histogram = new LabeledHistogram<T>(instrument, registry.Histogram(prometheusName, help, bounds, labelNames), labelNames);
        Add(instrument, histogram, prometheusName);
        return histogram;
    }

    // Gauges are read, not recorded: the OpenTelemetry reader and /metrics both call the model registry at collection.
    private void Gauge(string name, string? unit, string prometheusName, string help, Func<ModelGaugeSample, double> value)
    {
        var instrument = meter.CreateObservableGauge(name, () => models().Select(m => new Measurement<double>(value(m), new KeyValuePair<string, object?>("model", m.Model))), unit, help);
        registry.Gauge(prometheusName, help, ["model"], () => models().Select(m => (Labels: new[] { m.Model }, Value: value(m))));
        names.Add((instrument, prometheusName));
    }

    private void Add(Instrument instrument, object sink, string prometheusName)
    {
        sinks.Add(instrument, sink);
        names.Add((instrument, prometheusName));
    }
}

/// <summary>One model's state at scrape time.</summary>
internal readonly record struct ModelGaugeSample(string Model, int QueueDepth, bool Ready, int Version, bool CpuFallbackActive);
