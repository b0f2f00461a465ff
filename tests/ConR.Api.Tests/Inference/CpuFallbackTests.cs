using System.Net;
using ConR.Api.ModelsApi;
using ConR.Api.Options;
using ConR.Api.Tests.Support;

namespace ConR.Api.Tests.Inference;

public sealed class CpuFallbackTests
{
    [Fact]
    public async Task FailingCudaSession_IsReportedInModelsMetricsAndLogs_AndRequestsSucceed()
    {
        var cuda = new List<FailingCudaBackend>();
        await using var app = new ApiApplication(
            settings: new Dictionary<string, string?>
            {
                ["Inference:Device"] = "auto",
                ["Inference:CircuitBreakerMinimumThroughput"] = "2",
            },
            backends: real => new TestBackendFactory(
                real,
                (inner, device) =>
                {
                    if (device != InferenceDevice.Cuda)
                    {
                        return inner;
                    }

                    var backend = new FailingCudaBackend(inner);
                    cuda.Add(backend);
                    return backend;
                },
                cudaUnavailableReason: null));
        using var client = await app.StartReadyAsync();
        var before = await (await client.GetAsync("/v1/models/age")).OkAsync<ModelInfo>();
        Assert.Equal("CUDAExecutionProvider", before.Loaded!.ExecutionProvider);

        foreach (var backend in cuda)
        {
            backend.Broken = true;
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/age", Multipart.Image(TestImages.Png(seed: i)))).StatusCode);
        }

        var after = await (await client.GetAsync("/v1/models/age")).OkAsync<ModelInfo>();
        Assert.Equal(("CPUExecutionProvider", "CUDAExecutionProvider"), (after.Loaded!.ExecutionProvider, after.Loaded.LoadedOn));
        Assert.True(after.Loaded.CpuFallback.Active);
        Assert.Contains("illegal memory access", after.Loaded.CpuFallback.Reason, StringComparison.Ordinal);
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Equal(1, SchedulingTests.Sample(metrics, "conr_cpu_fallback_total{model=\"age\"}"));
        Assert.Equal(1, SchedulingTests.Sample(metrics, "conr_cpu_fallback_active{model=\"age\"}"));
        Assert.Contains(app.Logs.Lines, line => line.Contains("model age", StringComparison.OrdinalIgnoreCase) || line.Contains("Model age", StringComparison.Ordinal));
    }
}
