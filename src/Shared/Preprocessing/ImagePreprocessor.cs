using System.Buffers;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ConR.Shared.Preprocessing;

/// <summary>
/// The eval transform shared by training and the API, so the two cannot skew:
/// resize (see <see cref="ImageSpec"/>), then RGB to normalized CHW floats.
/// </summary>
public static class ImagePreprocessor
{
    private const int TableLength = ImageSpec.Channels * 256;

    /// <summary>
    /// Resizes to <see cref="ImageSpec.Width"/> x <see cref="ImageSpec.Height"/>, bilinear (ImageSharp Triangle
    /// resampler), no aspect preservation. Always returns a new image, which the caller disposes.
    /// </summary>
    public static Image<Rgb24> Resize(Image<Rgb24> image, ImageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var options = new ResizeOptions
        {
            Size = new Size(spec.Width, spec.Height),
            Mode = ResizeMode.Stretch,
            Sampler = KnownResamplers.Triangle,
            Compand = false,
        };
        return image.Clone(ctx => ctx.Resize(options));
    }

    /// <summary>
    /// Writes an already resized image as normalized CHW floats.
    /// </summary>
    /// <param name="resized">An image of exactly the spec's size.</param>
    /// <param name="spec">Size and normalization.</param>
    /// <param name="destination">[3, Height, Width]; length <see cref="ImageSpec.TensorLength"/>.</param>
    public static void ToChw(Image<Rgb24> resized, ImageSpec spec, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(resized);
        ArgumentNullException.ThrowIfNull(spec);
        Check(spec, resized.Width, resized.Height, destination.Length);
        // A span cannot enter the lambda, so the table and the output are staged through pooled arrays.
        var table = ArrayPool<float>.Shared.Rent(TableLength);
        var chw = ArrayPool<float>.Shared.Rent(destination.Length);
        try
        {
            FillTable(spec, table.AsSpan(0, TableLength));
            resized.ProcessPixelRows(accessor =>
            {
                var staged = chw.AsSpan(0, spec.TensorLength);
                var lookup = table.AsSpan(0, TableLength);
                for (int y = 0; y < accessor.Height; y++)
                    NormalizeRow(MemoryMarshal.AsBytes(accessor.GetRowSpan(y)), y, spec.Width, spec.Height, lookup, staged);
            });
            chw.AsSpan(0, destination.Length).CopyTo(destination);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(chw);
            ArrayPool<float>.Shared.Return(table);
        }
    }

    /// <summary>
    /// Same as <see cref="ToChw(Image{Rgb24}, ImageSpec, Span{float})"/> on packed RGB bytes.
    /// </summary>
    /// <param name="rgbHwc">[Height, Width, 3] bytes, R, G, B per pixel.</param>
    /// <param name="spec">Size and normalization.</param>
    /// <param name="destination">[3, Height, Width]; length <see cref="ImageSpec.TensorLength"/>.</param>
    public static void ToChw(ReadOnlySpan<byte> rgbHwc, ImageSpec spec, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Check(spec, spec.Width, spec.Height, destination.Length);
        Span<float> table = stackalloc float[TableLength];
        FillTable(spec, table);
        int rowBytes = spec.Width * ImageSpec.Channels;
        if (rgbHwc.Length != rowBytes * spec.Height)
            throw new ArgumentException($"Expected {rowBytes * spec.Height} RGB bytes, got {rgbHwc.Length}.", nameof(rgbHwc));
        for (int y = 0; y < spec.Height; y++)
            NormalizeRow(rgbHwc.Slice(y * rowBytes, rowBytes), y, spec.Width, spec.Height, table, destination);
    }

    /// <summary>
    /// The eval transform: <see cref="Resize"/> then <see cref="ToChw(Image{Rgb24}, ImageSpec, Span{float})"/>.
    /// </summary>
    /// <returns>[3, Height, Width] normalized floats.</returns>
    public static float[] Preprocess(Image<Rgb24> image, ImageSpec spec)
    {
        using var resized = Resize(image, spec);
        var result = new float[spec.TensorLength];
        ToChw(resized, spec, result);
        return result;
    }

    private static void Check(ImageSpec spec, int width, int height, int destinationLength)
    {
        spec.Validate();
        if (width != spec.Width || height != spec.Height)
            throw new ArgumentException($"Image is {width}x{height}; the spec needs {spec.Width}x{spec.Height}. Resize first.");
        if (destinationLength != spec.TensorLength)
            throw new ArgumentException($"Destination holds {destinationLength} floats; the spec needs {spec.TensorLength}.");
    }

    // One 256-entry table per channel holds (x / 255f - mean) / std computed in float32, the same operations in the
    // same order as torchvision's ToTensor + Normalize, so values match it bit for bit and every caller shares them.
    private static void FillTable(ImageSpec spec, Span<float> table)
    {
        for (int c = 0; c < ImageSpec.Channels; c++)
        {
            for (int v = 0; v < 256; v++)
                table[(c * 256) + v] = ((v / 255f) - spec.Mean[c]) / spec.Std[c];
        }
    }

    private static void NormalizeRow(ReadOnlySpan<byte> row, int y, int width, int height, ReadOnlySpan<float> table, Span<float> chw)
    {
        int plane = width * height;
        var r = chw.Slice(y * width, width);
        var g = chw.Slice(plane + (y * width), width);
        var b = chw.Slice((2 * plane) + (y * width), width);
        for (int x = 0, i = 0; x < width; x++, i += 3)
        {
            r[x] = table[row[i]];
            g[x] = table[256 + row[i + 1]];
            b[x] = table[512 + row[i + 2]];
        }
    }
}
