using System.Diagnostics;

namespace ConR.Api.Tests.Hosting;

/// <summary>The real process (not the test host): a bad setting ends it with the message alone and exit code 2.</summary>
public sealed class StartupExitTests
{
    [Fact]
    public async Task BadSetting_ExitsWithCode2_AndTheMessageWithoutAStackTrace()
    {
        var api = Path.Combine(AppContext.BaseDirectory, "ConR.Api.dll");
        var start = new ProcessStartInfo("dotnet", [api, "--Inference:AdminApiKey=short", "--urls=http://127.0.0.1:0"])
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
        Assert.Contains("Inference:AdminApiKey must have at least 16 characters", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }
}
