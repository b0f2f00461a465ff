using ConR.Api.Imaging;
using ConR.Api.Metrics;
using ConR.Api.Models;
using ConR.Api.Onnx;
using ConR.Api.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ConR.Api.Hosting;

internal static class InferenceServiceCollectionExtensions
{
    /// <summary>
    /// Options (bound from "Inference", validated at start), the ONNX session factory, the model repository, loader and
    /// registry, the image reader, and the start-up service that loads and warms up the models.
    /// </summary>
    public static IServiceCollection AddConRInference(this IServiceCollection services)
    {
        services.AddOptions<InferenceOptions>()
            .BindSettings(InferenceOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InferenceOptions>, InferenceOptionsValidator>());
        services.TryAddSingleton<IInferenceBackendFactory, OnnxBackendFactory>();
        services.AddApiMetrics();
        services.TryAddSingleton<ModelRepositoryLayout>();
        services.TryAddSingleton<ModelLoader>();
        services.TryAddSingleton<ModelRegistry>();
        services.TryAddSingleton<ImageReader>();
        services.AddHostedService<ModelStartupService>();
        return services;
    }
}
