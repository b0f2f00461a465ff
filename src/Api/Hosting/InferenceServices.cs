using ConR.Api.Imaging;
using ConR.Api.Models;
using ConR.Api.Options;
using Microsoft.Extensions.Options;

namespace ConR.Api.Hosting;

/// <summary>What the inference handlers use, bound with [AsParameters] so handlers keep short signatures.</summary>
internal sealed class InferenceServices(ModelRegistry registry, ImageReader images, IOptions<InferenceOptions> options)
{
    public ModelRegistry Registry { get; } = registry;

    public ImageReader Images { get; } = images;

    public IOptions<InferenceOptions> Options { get; } = options;
}
