using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Shared.Tests.Preprocessing;

internal static class TestImages
{
    // Deterministic, non-symmetric content so that swapped axes or channels show up.
    public static Image<Rgb24> Pattern(int width, int height, int seed = 1)
    {
        var rng = new Random(seed);
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                    row[x] = new Rgb24((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256));
            }
        });
        return image;
    }

    public static byte[] Encode(Image image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    public static byte[] Hwc(Image<Rgb24> image)
    {
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return bytes;
    }
}
