using System.Net;
using ConR.Api.Tests.Support;
using Microsoft.Extensions.Options;

namespace ConR.Api.Tests.Hosting;

public sealed class StartupTests
{
    [Fact]
    public void DeviceCuda_OnAHostWithoutCuda_FailsStartUpNamingTheReason()
    {
        // The real ONNX Runtime GPU package: it lists CUDA among its providers, but the provider cannot load here.
        var app = new ApiApplication(settings: new Dictionary<string, string?> { ["Inference:Device"] = "cuda" });

        var error = Record.Exception(() => app.CreateClient());

        Assert.NotNull(error);
        var message = Flatten(error);
        Assert.Contains("Inference:Device is 'cuda'", message, StringComparison.Ordinal);
        Assert.Contains("CUDA", message, StringComparison.Ordinal);
        Assert.Contains("set Inference:Device to 'auto' or 'cpu'", message, StringComparison.Ordinal);
        app.Dispose();
    }

    [Fact]
    public async Task DeviceAuto_OnAHostWithoutCuda_ServesOnCpuAndSaysWhy()
    {
        await using var app = new ApiApplication(settings: new Dictionary<string, string?> { ["Inference:Device"] = "auto" });
        using var client = await app.StartReadyAsync();

        Assert.Contains("\"executionProvider\":\"CPUExecutionProvider\"", await client.GetStringAsync("/v1/models/age"), StringComparison.Ordinal);
        Assert.Contains(app.Logs.Lines, line => line.Contains("Inference:Device is 'auto' and CUDA cannot be used", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Readiness_IsFalseUntilWarmUpCompletes()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = new ApiApplication(backends: real => new TestBackendFactory(real, (inner, _) => new GatedBackend(inner, gate.Task)));
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/health/live")).StatusCode);
        using var notReady = await client.GetAsync("/v2/health/ready");
        var problem = await notReady.ProblemAsync(503);
        Assert.Contains("age", problem.Detail, StringComparison.Ordinal);
        await (await client.PostAsync("/v1/age", Multipart.Image(TestImages.Png()))).ProblemAsync(503);
        Assert.Contains("\"state\":\"loading\"", await client.GetStringAsync("/v1/models/age"), StringComparison.Ordinal);

        gate.SetResult();
        await ApiApplication.WaitUntilReadyAsync(client);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/age", Multipart.Image(TestImages.Png()))).StatusCode);
    }

    [Fact]
    public void MissingRepository_FailsStartUpNamingThePath()
    {
        var missing = Path.Combine(Path.GetTempPath(), "conr-no-such-repo-" + Guid.NewGuid().ToString("N"));
        using var app = new ApiApplication(missing);

        var error = Record.Exception(() => app.CreateClient());

        var validation = Assert.IsType<OptionsValidationException>(Unwrap(error));
        Assert.Contains(missing, validation.Message, StringComparison.Ordinal);
        Assert.Contains("Inference:ModelRepository", validation.Message, StringComparison.Ordinal);
    }

    // Invalid settings are tested on the real process (StartupExitTests): in the test host a failed start could dispose
    // the host before the test saw the validation error (a race seen under load).

    [Fact]
    public async Task BrokenPackageAtStartUp_StopsTheServiceNamingIt()
    {
        using var repository = new TempRepository();
        File.WriteAllText(Path.Combine(repository.Folder("depth", 1), "model.json"), "{}");
        await using var app = new ApiApplication(repository.Root);
        bool stopping;
        try
        {
            using var client = app.CreateClient();
            var lifetime = app.Service<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();
            for (var i = 0; i < 300 && !lifetime.ApplicationStopping.IsCancellationRequested; i++)
            {
                await Task.Delay(100);
            }

            stopping = lifetime.ApplicationStopping.IsCancellationRequested;
        }
        catch (ObjectDisposedException)
        {
            // The failed start-up stopped and disposed the host before the test could look at it.
            stopping = true;
        }

        Assert.True(stopping);
        Assert.Contains(app.Logs.Lines, line => line.Contains("failed to load at start-up", StringComparison.Ordinal) && line.Contains("depth", StringComparison.Ordinal));
    }

    private static Exception? Unwrap(Exception? error)
    {
        while (error is AggregateException { InnerException: { } inner })
        {
            error = inner;
        }

        return error;
    }

    private static string Flatten(Exception error)
    {
        var text = string.Empty;
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            text += e.Message + "\n";
        }

        return text;
    }

    [Fact]
    public async Task DeviceAuto_WithoutCuda_SaysWhyOnce_NotOncePerModel()
    {
        // CUDA cannot load on the CI machines; where it can, nothing about it is logged and the test has nothing to see.
        await using var app = new ApiApplication(settings: new Dictionary<string, string?> { ["Inference:Device"] = "auto" });
        using var client = await app.StartReadyAsync();

        int reasons = app.Logs.Lines.Count(l => l.Contains("did not load", StringComparison.Ordinal) || l.Contains("has no CUDA execution provider", StringComparison.Ordinal));
        bool onCpu = app.Logs.Lines.Any(l => l.Contains("CUDA unavailable", StringComparison.Ordinal));
        Assert.True(onCpu ? reasons == 1 : reasons == 0, string.Join("\n", app.Logs.Lines.Where(l => l.Contains("CUDA", StringComparison.Ordinal))));
    }
}
