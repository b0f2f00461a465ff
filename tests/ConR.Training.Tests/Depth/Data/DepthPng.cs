using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Training.Tests.Depth.Data;

// Tiny grey PNGs for the depth tests: 8-bit via L8, 16-bit via L16.
internal static class DepthPng
{
    public static byte[] Gray8(int width, int height, Func<int, int, byte> value)
    {
        using var image = new Image<L8>(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++) image[x, y] = new L8(value(x, y));
        }
        return Encode(image, PngBitDepth.Bit8);
    }

    public static byte[] Gray16(int width, int height, Func<int, int, ushort> value)
    {
        using var image = new Image<L16>(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++) image[x, y] = new L16(value(x, y));
        }
        return Encode(image, PngBitDepth.Bit16);
    }

    private static byte[] Encode(Image image, PngBitDepth bitDepth)
    {
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder { BitDepth = bitDepth, ColorType = PngColorType.Grayscale });
        return stream.ToArray();
    }
}
