using System.Diagnostics;
using ConR.Api.Metrics;
using ConR.Api.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ConR.Api.Tests.Metrics;

public sealed class TelemetrySettingsTests
{
    [Fact]
    public void NoEndpoint_RegistersNoOpenTelemetry()
    {
        using var services = Build(endpoint: null);

        Assert.Null(services.GetService<TracerProvider>());
        Assert.Null(services.GetService<MeterProvider>());
    }

    [Fact]
    public void Endpoint_RegistersTracingAndMetricsExport()
    {
        using var services = Build(endpoint: "http://otel-collector:4317");

        Assert.NotNull(services.GetService<TracerProvider>());
        Assert.NotNull(services.GetService<MeterProvider>());
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "otel-collector:4317", "OTEL_EXPORTER_OTLP_ENDPOINT 'otel-collector:4317' is not an absolute http")]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "udp", "OTEL_EXPORTER_OTLP_PROTOCOL 'udp' is not one of")]
    public async Task BadSetting_ExitsWithCode2_AndNamesTheVariable(string key, string value, string expected)
    {
        var api = Path.Combine(AppContext.BaseDirectory, "ConR.Api.dll");
        var start = new ProcessStartInfo("dotnet", [api, $"--Inference:ModelRepository={Fixtures.Repository}", "--urls=http://127.0.0.1:0"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };

        // As a deployment sets them: environment variables (the endpoint too, so that the protocol is checked with export on).
        start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317";
        start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var error = await stderr;
        _ = await stdout;

        Assert.Equal(2, process.ExitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(string? endpoint)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddApiTelemetry(configuration);
        return services.BuildServiceProvider();
    }
}
