using ConR.Api.Onnx;
using ConR.Api.Options;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConR.Api.Tests.Support;

/// <summary>
/// One test's host: the API over a model repository (the committed fixtures unless given), every test-time override
/// in one place. Each test creates its own with <c>await using</c>, so no state is shared between tests.
/// </summary>
internal sealed class ApiApplication(
    string? repository = null,
    IReadOnlyDictionary<string, string?>? settings = null,
    Func<IInferenceBackendFactory, IInferenceBackendFactory>? backends = null) : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";

    /// <summary>Gets the log lines the host wrote (warnings and above), for tests that assert what operators see.</summary>
    public LogSink Logs { get; } = new();

    /// <summary>A client for a host whose models are loaded and warmed up.</summary>
    public async Task<HttpClient> StartReadyAsync()
    {
        var client = CreateClient();
        await WaitUntilReadyAsync(client);
        return client;
    }

    public static async Task WaitUntilReadyAsync(HttpClient client, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync("/v2/health/ready");
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The API did not become ready.");
    }

    public T Service<T>()
        where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The fixture repository; CPU, so no test waits on a CUDA probe (the device tests set it back); a known admin
        // key; rate limiting off unless a test is about it; one warm-up image of each format (the JIT's sake is not the
        // tests', and a hundred hosts would pay for it).
        var values = new Dictionary<string, string?>
        {
            ["Inference:ModelRepository"] = repository ?? Fixtures.Repository,
            ["Inference:Device"] = "cpu",
            ["Inference:AdminApiKey"] = AdminKey,
            ["Inference:IntraOpThreads"] = "1",
            ["Inference:WarmupImages"] = "1",
            ["RateLimiting:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        foreach (var (key, value) in values)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(Logs);
        });

        if (backends is not null)
        {
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<IInferenceBackendFactory>();
                services.AddSingleton(provider => backends(new OnnxBackendFactory(provider.GetRequiredService<IOptions<InferenceOptions>>())));
            });
        }
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        return base.CreateHost(builder);
    }
}
