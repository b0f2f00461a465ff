using System.Diagnostics;
using ConR.Api.Metrics;
using ConR.Api.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace ConR.Api.Tests.Metrics;

public sealed class TracingTests
{
    [Fact]
    public async Task Request_RecordsDecodeQueueWaitAndInferenceSpans_UnderTheRequestSpan()
    {
        var spans = new List<Activity>();
        await using var api = new ApiApplication();
        await using var app = api.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddOpenTelemetry().WithTracing(tracing => tracing.AddConRInstrumentation().AddInMemoryExporter(spans))));
        using var client = app.CreateClient();
        await ApiApplication.WaitUntilReadyAsync(client);

        // Our own trace id, so that spans of other test hosts in this process (one ActivitySource) are told apart.
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/age") { Content = Multipart.Image(TestImages.Png()) };
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();

        var trace = await WaitForSpansAsync(spans, traceId, count: 4);
        var server = Assert.Single(trace, s => s.Kind == ActivityKind.Server);
        Assert.Equal(callerSpan, server.ParentSpanId);
        Assert.Equal("/v1/age", server.GetTagItem("http.route"));

        var decode = Assert.Single(trace, s => s.OperationName == ApiTelemetry.DecodeSpan);
        Assert.Equal(server.SpanId, decode.ParentSpanId);
        Assert.Equal("image", decode.GetTagItem("conr.field"));
        Assert.Equal(40, decode.GetTagItem("conr.image.width"));

        var inference = Assert.Single(trace, s => s.OperationName == ApiTelemetry.InferenceSpan);
        Assert.Equal(server.SpanId, inference.ParentSpanId);
        Assert.Equal("age", inference.GetTagItem("conr.model"));
        Assert.Equal(1, inference.GetTagItem("conr.batch.size"));
        Assert.Equal("CPUExecutionProvider", inference.GetTagItem("conr.provider"));

        var wait = Assert.Single(trace, s => s.OperationName == ApiTelemetry.QueueWaitSpan);
        Assert.Equal(server.SpanId, wait.ParentSpanId);
        Assert.Equal(inference.SpanId, Assert.Single(wait.Links).Context.SpanId);
        Assert.True(wait.StartTimeUtc <= inference.StartTimeUtc && wait.StartTimeUtc >= server.StartTimeUtc);
    }

    private static async Task<List<Activity>> WaitForSpansAsync(List<Activity> spans, ActivityTraceId traceId, int count)
    {
        // The server span ends after the client has its response; the exporter gets it a moment later.
        for (var i = 0; i < 200; i++)
        {
            List<Activity> trace;
            lock (spans)
            {
                trace = [.. spans.ToArray().Where(s => s is not null && s.TraceId == traceId)];
            }

            if (trace.Count >= count)
            {
                return trace;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("The request's spans were not exported.");
    }
}
