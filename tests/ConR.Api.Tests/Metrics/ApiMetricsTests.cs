using System.Diagnostics.Metrics;
using ConR.Api.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace ConR.Api.Tests.Metrics;

public sealed class ApiMetricsTests
{
    [Fact]
    public void PrometheusNames_AreOpenTelemetrysTranslationOfTheInstruments_AndTheNamesDashboardsUse()
    {
        using var metrics = new ApiMetrics();

        foreach (var (instrument, prometheusName) in metrics.PrometheusNames)
        {
            // What OpenTelemetry's Prometheus exporters (and a collector's) write for this instrument.
            var translated = instrument.Name.Replace('.', '_');
            translated += instrument.Unit == "s" ? "_seconds" : string.Empty;
            translated += instrument is Counter<long> ? "_total" : string.Empty;
            Assert.Equal(translated, prometheusName);
        }

        Assert.Equal(
            [
                "conr_cpu_fallback_active", "conr_cpu_fallback_runs_total", "conr_cpu_fallback_total", "conr_http_request_duration_seconds",
                "conr_http_requests_total", "conr_inference_batch_size", "conr_inference_duration_seconds", "conr_inference_queue_depth",
                "conr_inference_queue_wait_seconds", "conr_inference_rejected_total", "conr_model_load_total", "conr_model_ready", "conr_model_version",
            ],
            metrics.PrometheusNames.Select(n => n.PrometheusName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Hosts_HaveTheirOwnMeter_AndOtherListenersSeeTheSameMeasurements()
    {
        using var first = new ServiceCollection().AddApiMetrics().BuildServiceProvider();
        using var second = new ServiceCollection().AddApiMetrics().BuildServiceProvider();
        var metrics = first.GetRequiredService<ApiMetrics>();
        var heard = 0L;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, self) =>
            {
                if (ReferenceEquals(instrument, metrics.ModelLoads.Instrument))
                {
                    self.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref heard, value));
        listener.Start();

        metrics.ModelLoads.Increment("age", "loaded");

        Assert.Equal(1, metrics.ModelLoads.Value("age", "loaded"));
        Assert.Equal(1, Interlocked.Read(ref heard));
        Assert.Equal(0, second.GetRequiredService<ApiMetrics>().ModelLoads.Value("age", "loaded"));
        Assert.NotSame(metrics.ModelLoads.Instrument.Meter, second.GetRequiredService<ApiMetrics>().ModelLoads.Instrument.Meter);
    }
}
