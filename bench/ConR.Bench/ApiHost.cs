using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConR.Bench;

/// <summary>
/// The real ConR.Api application (its Program: every service, middleware and endpoint) started in this process on
/// Kestrel at 127.0.0.1 with a free port, configured only through settings, as an operator would.
/// </summary>
internal sealed class ApiHost(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<ApiHost> StartAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan readyTimeout)
    {
        // The content root (appsettings.json): the API's files copied next to the bench. WebApplicationFactory would
        // otherwise look for MvcTestingAppManifest.json in the current directory, then for a solution folder.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_CONR_API", AppContext.BaseDirectory);
        var host = new ApiHost(settings);
        try
        {
            host.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            host.StartServer();
            var addresses = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
                ?? throw new InvalidOperationException("Kestrel reported no address.");
            host.BaseAddress = new Uri(addresses.First());
            using var client = new HttpClient { BaseAddress = host.BaseAddress };
            await WaitReadyAsync(client, readyTimeout, null);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls GET /v2/health/ready until it answers 200.</summary>
    public static async Task WaitReadyAsync(HttpClient client, TimeSpan timeout, Func<bool>? stillAlive)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (stillAlive is not null && !stillAlive())
            {
                throw new InvalidOperationException("The API process exited before it was ready.");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/v2/health/ready", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The API was not ready after {timeout.TotalSeconds:F0} s.");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        // Console logging at Warning: no per-request output interleaved with the bench's, problems still shown.
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Production);
        return base.CreateHost(builder);
    }
}
