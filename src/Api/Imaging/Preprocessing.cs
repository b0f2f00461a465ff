using ConR.Shared.Preprocessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Api.Imaging;

internal static class Preprocessing
{
    /// <summary>The card's eval transform (shared with training) straight into a queued tensor slot.</summary>
    public static void Into(Image<Rgb24> image, ImageSpec spec, Span<float> destination)
    {
        using var resized = ImagePreprocessor.Resize(image, spec);
        ImagePreprocessor.ToChw(resized, spec, destination);
    }
}
