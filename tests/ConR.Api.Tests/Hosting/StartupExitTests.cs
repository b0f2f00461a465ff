using System.Diagnostics;
using ConR.Api.Tests.Support;

namespace ConR.Api.Tests.Hosting;

/// <summary>The real process (not the test host): a bad setting ends it with the message alone and exit code 2.</summary>
public sealed class StartupExitTests
{
    [Theory]
    [InlineData("Inference:MaxBatchSize", "0", "MaxBatchSize")]
    [InlineData("Inference:MaxQueueLength", "4", "must be at least Inference:MaxBatchSize")]
    [InlineData("Inference:AdminApiKey", "short", "Inference:AdminApiKey must have at least 16 characters")]
    [InlineData("Inference:Models:0", "nope", "'nope'")]
    [InlineData("Inference:Device", "gpu", "Failed to convert configuration value 'gpu' at 'Inference:Device'")]
    [InlineData("Inference:MaxBatchSize", "sixteen", "'sixteen' at 'Inference:MaxBatchSize' to type 'System.Int32'")]
    [InlineData("RateLimiting:TokenLimit", "many", "'many' at 'RateLimiting:TokenLimit'")]
    [InlineData("Inference:Device", "cuda", "Inference:Device is 'cuda', but CUDA cannot be used on this host")]
    public async Task BadSetting_ExitsWithCode2_AndTheMessageWithoutAStackTrace(string key, string value, string expected)
    {
        var api = Path.Combine(AppContext.BaseDirectory, "ConR.Api.dll");
        var start = new ProcessStartInfo("dotnet", [api, $"--{key}={value}", $"--Inference:ModelRepository={Fixtures.Repository}", "--urls=http://127.0.0.1:0"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        string error = await stderr;
        _ = await stdout;

        Assert.Equal(2, process.ExitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }
}
