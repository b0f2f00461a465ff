using ConR.Shared.Imaging;
using ConR.Shared.Preprocessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Api.Depth;

/// <summary>PNG renderings of a depth map, written row by row through ImageSharp's row spans.</summary>
internal static class DepthImages
{
    /// <summary>Millimetres per metre in the 16-bit PNG.</summary>
    public const float MillimetresPerMetre = 1000f;

    /// <summary>A 16-bit greyscale PNG in millimetres (0 for no data, 65535 for 65.535 m and beyond).</summary>
    public static byte[] Png16(ReadOnlyMemory<float> depth, int width, int height)
    {
        using var image = new Image<L16>(SafeImageDecoder.Configuration, width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var source = depth.Span.Slice(y * width, width);
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var mm = source[x] * MillimetresPerMetre;
                    row[x] = new L16(float.IsNaN(mm) ? (ushort)0 : (ushort)Math.Clamp(MathF.Round(mm), 0f, ushort.MaxValue));
                }
            }
        });
        return Encode(image, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit16 });
    }

    /// <summary>An 8-bit RGB PNG: <see cref="DepthColormap"/> from <paramref name="min"/> (dark blue) to <paramref name="max"/> (dark red).</summary>
    public static byte[] Colormap(ReadOnlyMemory<float> depth, int width, int height, float min, float max)
    {
        var span = max > min ? max - min : 1f;
        using var image = new Image<Rgb24>(SafeImageDecoder.Configuration, width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var source = depth.Span.Slice(y * width, width);
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var (r, g, b) = DepthColormap.Map((source[x] - min) / span);
                    row[x] = new Rgb24(r, g, b);
                }
            }
        });
        return Encode(image, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 });
    }

    private static byte[] Encode(Image image, PngEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.SaveAsPng(stream, encoder);
        return stream.ToArray();
    }
}
