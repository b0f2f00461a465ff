using ConR.Api.Metrics;
using ConR.Api.Tests.Inference;
using ConR.Api.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace ConR.Api.Tests.Metrics;

[Collection(nameof(OpenTelemetryTestGroup))]
public sealed class OpenTelemetryMetricsTests
{
    [Fact]
    public async Task Request_IsCountedTheSameInMetricsEndpointAndThroughOpenTelemetry()
    {
        var exported = new List<Metric>();
        await using var api = new ApiApplication();
        await using var app = api.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddConRInstrumentation().AddInMemoryExporter(exported))));
        using var client = app.CreateClient();
        await ApiApplication.WaitUntilReadyAsync(client);
        await client.PostAsync("/v1/age", Multipart.Image(TestImages.Png()));
        await client.PostAsync("/v1/age", Multipart.Image([]));

        var text = await client.GetStringAsync("/metrics");
        Assert.True(app.Services.GetRequiredService<MeterProvider>().ForceFlush());

        var requests = Points(exported, "conr.http.requests");
        Assert.Equal(
            SchedulingTests.Sample(text, "conr_http_requests_total{method=\"POST\",route=\"/v1/age\",status=\"200\"}"),
            Assert.Single(requests, p => p.Tags["route"] == "/v1/age" && p.Tags["status"] == "200").Value);
        Assert.Equal(1, Assert.Single(requests, p => p.Tags["route"] == "/v1/age" && p.Tags["status"] == "400").Value);

        var batches = Assert.Single(Points(exported, "conr.inference.batch.size"), p => p.Tags["model"] == "age");
        Assert.Equal(SchedulingTests.Sample(text, "conr_inference_batch_size_count{model=\"age\"}"), batches.Value);
        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256, double.PositiveInfinity], batches.Bounds);

        Assert.Equal(1, Assert.Single(Points(exported, "conr.inference.queue.wait"), p => p.Tags["model"] == "age").Value);
        Assert.Equal(1, Assert.Single(Points(exported, "conr.inference.duration"), p => p.Tags["provider"] == "CPUExecutionProvider").Value);
        Assert.Equal(0, Assert.Single(Points(exported, "conr.inference.queue.depth"), p => p.Tags["model"] == "age").Value);
        Assert.Equal(1, Assert.Single(Points(exported, "conr.model.version"), p => p.Tags["model"] == "age").Value);
    }

    // The latest export of one metric: counts for counters and histograms, values for gauges.
    private static List<(Dictionary<string, string?> Tags, double Value, double[] Bounds)> Points(List<Metric> exported, string name)
    {
        var metric = exported.Last(m => m.Name == name);
        var points = new List<(Dictionary<string, string?>, double, double[])>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var tags = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var tag in point.Tags)
            {
                tags[tag.Key] = tag.Value?.ToString();
            }

            var bounds = new List<double>();
            double value;
            switch (metric.MetricType)
            {
                case MetricType.Histogram:
                    value = point.GetHistogramCount();
                    foreach (var bucket in point.GetHistogramBuckets())
                    {
                        bounds.Add(bucket.ExplicitBound);
                    }

                    break;
                case MetricType.LongSum:
                    value = point.GetSumLong();
                    break;
                case MetricType.DoubleGauge:
                    value = point.GetGaugeLastValueDouble();
                    break;
                default:
                    throw new InvalidOperationException($"{name}: {metric.MetricType} is not expected.");
            }

            points.Add((tags, value, [.. bounds]));
        }

        return points;
    }
}
