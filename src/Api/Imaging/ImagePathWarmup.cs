using System.Buffers;
using System.Diagnostics;
using ConR.Shared.Preprocessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Api.Imaging;

/// <summary>
/// Runs the request path's own CPU work (header check, JPEG and PNG decoding, resize, normalisation) on generated
/// images at start-up, so that the JIT compiles the decoders and the resizer before the first request instead of
/// during it. Measured on the 2-core VM (separate process, curl, bundled age model): the first POST /v1/age after
/// ready took 163 ms without this and 63 ms with it, and the next four 4.6-13 ms instead of 4.5-6 ms.
/// </summary>
internal static class ImagePathWarmup
{
    // A UTKFace-sized crop; its size only matters for how long the warm-up takes: the JIT works per method.
    private const int PreferredSide = 200;

    /// <summary>Gets the side of the square warm-up images: a UTKFace crop's, or less where MaxPixels is lower.</summary>
    public static int SideWithin(long maxPixels) => (int)Math.Clamp((long)Math.Sqrt(maxPixels), 1, PreferredSide);

    /// <summary>
    /// Decodes and preprocesses <paramref name="iterations"/> generated JPEGs and as many PNGs of
    /// <paramref name="side"/> x <paramref name="side"/> pixels through <paramref name="reader"/>, to the
    /// <paramref name="spec"/> size.
    /// </summary>
    /// <returns>How many images went through, and the time taken.</returns>
    /// <exception cref="Errors.ApiProblemException">The reader refused an image, as it would a request's.</exception>
    public static ImagePathWarmupResult Run(ImageReader reader, ImageSpec spec, int iterations, int side)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 1);
        var started = Stopwatch.GetTimestamp();
        if (iterations == 0)
        {
            return new ImagePathWarmupResult(0, TimeSpan.Zero);
        }

        var files = Samples(side);
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

    // Smooth gradients with texture, as a face crop has: entropy coding and the resize see realistic data.
    private static byte[][] Samples(int side)
    {
        using var image = new Image<Rgb24>(side, side);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var texture = ((x * 7) ^ (y * 13)) & 31;
                    row[x] = new Rgb24((byte)(x + texture), (byte)(y + texture), (byte)((x + y) / 2));
                }
            }
        });
        using var jpeg = new MemoryStream();
        image.SaveAsJpeg(jpeg, new JpegEncoder { Quality = 90 });
        using var png = new MemoryStream();
        image.SaveAsPng(png, new PngEncoder());
        return [jpeg.ToArray(), png.ToArray()];
    }
}

/// <summary>What <see cref="ImagePathWarmup.Run"/> did.</summary>
/// <param name="Images">Images decoded and preprocessed.</param>
/// <param name="Elapsed">Time taken.</param>
internal sealed record ImagePathWarmupResult(int Images, TimeSpan Elapsed);
