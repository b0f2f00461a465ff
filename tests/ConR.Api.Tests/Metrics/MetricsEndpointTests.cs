using ConR.Api.Tests.Inference;
using ConR.Api.Tests.Support;

namespace ConR.Api.Tests.Metrics;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_AfterRequests_ExposeCountsLatencyQueueBatchesAndLoads()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        await client.PostAsync("/v1/age", Multipart.Image(TestImages.Png()));
        await client.PostAsync("/v1/age", Multipart.Image([]));

        using var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, SchedulingTests.Sample(text, "conr_http_requests_total{method=\"POST\",route=\"/v1/age\",status=\"200\"}"));
        Assert.Equal(1, SchedulingTests.Sample(text, "conr_http_requests_total{method=\"POST\",route=\"/v1/age\",status=\"400\"}"));
        Assert.Equal(2, SchedulingTests.Sample(text, "conr_http_request_duration_seconds_count{method=\"POST\",route=\"/v1/age\"}"));
        Assert.Equal(1, SchedulingTests.Sample(text, "conr_inference_batch_size_count{model=\"age\"}"));
        Assert.Equal(1, SchedulingTests.Sample(text, "conr_inference_duration_seconds_count{model=\"age\",provider=\"CPUExecutionProvider\"}"));
        Assert.Equal(1, SchedulingTests.Sample(text, "conr_inference_queue_wait_seconds_count{model=\"age\"}"));
        Assert.Contains("conr_inference_queue_depth{model=\"age\"} 0", text, StringComparison.Ordinal);
        Assert.Equal(1, SchedulingTests.Sample(text, "conr_model_load_total{model=\"age\",outcome=\"loaded\"}"));
        Assert.Equal(1, SchedulingTests.Sample(text, "conr_model_ready{model=\"depth\"}"));
        Assert.Equal(1, SchedulingTests.Sample(text, "conr_model_version{model=\"age\"}"));
        Assert.Contains("# TYPE conr_cpu_fallback_total counter", text, StringComparison.Ordinal);
        Assert.Contains("conr_cpu_fallback_active{model=\"age\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("conr_http_request_duration_seconds_bucket{method=\"POST\",route=\"/v1/age\",le=\"+Inf\"} 2", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InventedHttpMethods_ShareOneLabel_SoTheyCannotGrowTheMetrics()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        foreach (var method in new[] { "A1", "A2", "BREW" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), "/x");
            using var response = await client.SendAsync(request);
        }

        var text = await client.GetStringAsync("/metrics");

        Assert.Equal(3, SchedulingTests.Sample(text, "conr_http_requests_total{method=\"_OTHER\",route=\"unmatched\",status=\"404\"}"));
        Assert.DoesNotContain("method=\"A1\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("method=\"BREW\"", text, StringComparison.Ordinal);
    }
}
