using ConR.Api.Hosting;
using ConR.Api.Onnx;
using ConR.Api.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConR.Api.Tests.Support;

/// <summary>
/// <c>AddConRInference()</c> in a bare service collection, no web host: the model holder as the DI-level tests see it.
/// The start-up service is not run; tests load models through the registry themselves.
/// </summary>
internal static class InferenceContainer
{
    public static ServiceProvider Build(
        string repository,
        LogSink? logs = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        Func<IInferenceBackendFactory, IInferenceBackendFactory>? backends = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Inference:ModelRepository"] = repository,
            ["Inference:Device"] = "cpu",
            ["Inference:IntraOpThreads"] = "1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Testing", ApplicationName = "ConR.Api.Tests" });
        services.AddLogging(logging =>
        {
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        services.AddConRInference();
        if (backends is not null)
        {
            services.RemoveAll<IInferenceBackendFactory>();
            services.AddSingleton(provider => backends(new OnnxBackendFactory(provider.GetRequiredService<IOptions<InferenceOptions>>())));
        }

        return services.BuildServiceProvider();
    }
}
