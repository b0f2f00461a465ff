using System.Buffers;
using System.Diagnostics;
using ConR.Shared.Preprocessing;

namespace ConR.Api.Imaging;

/// <summary>
/// Runs the request path's own CPU work (header check, JPEG and PNG decoding, resize, normalisation) on two bundled
/// 200x200 images at start-up, so that the JIT compiles the decoders and the resizer before the first request instead
/// of during it. Measured on the 2-core VM (separate process, curl, bundled age model): the first POST /v1/age after
/// ready took 154-166 ms without this and 65-72 ms with it; the next four took 5-17 ms without it and 4.3-6.7 ms with
/// it (one outlier of 20 ms). 64 iterations took 0.42 s, 16 took 0.22 s, and the idle memory did not change.
/// </summary>
internal static class ImagePathWarmup
{
    private static readonly string[] SampleNames = ["ConR.Api.WarmupSamples.warmup.jpg", "ConR.Api.WarmupSamples.warmup.png"];

    /// <summary>
    /// Decodes and preprocesses the bundled JPEG and PNG <paramref name="iterations"/> times each through
    /// <paramref name="reader"/> (so under its limits, as a request would be), to the <paramref name="spec"/> size.
    /// </summary>
    /// <returns>How many images went through, and the time taken.</returns>
    /// <exception cref="Errors.ApiProblemException">The reader refused an image, as it would a request's.</exception>
    public static ImagePathWarmupResult Run(ImageReader reader, ImageSpec spec, int iterations)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
        var started = Stopwatch.GetTimestamp();
        if (iterations == 0)
        {
            return new ImagePathWarmupResult(0, TimeSpan.Zero);
        }

        var files = SampleNames.Select(Sample).ToArray();
        var tensor = ArrayPool<float>.Shared.Rent(spec.TensorLength);
        var images = 0;
        try
        {
            for (var i = 0; i < iterations; i++)
            {
                foreach (var file in files)
                {
                    using var decoded = reader.Decode(file, "warm-up");
                    Preprocessing.Into(decoded, spec, tensor.AsSpan(0, spec.TensorLength));
                    images++;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(tensor);
        }

        return new ImagePathWarmupResult(images, Stopwatch.GetElapsedTime(started));
    }

    private static byte[] Sample(string name)
    {
        using var stream = typeof(ImagePathWarmup).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The warm-up image {name} is not embedded in ConR.Api.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>What <see cref="ImagePathWarmup.Run"/> did.</summary>
/// <param name="Images">Images decoded and preprocessed.</param>
/// <param name="Elapsed">Time taken.</param>
internal sealed record ImagePathWarmupResult(int Images, TimeSpan Elapsed);
