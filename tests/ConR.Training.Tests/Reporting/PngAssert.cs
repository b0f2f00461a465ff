using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Training.Tests.Reporting;

/// <summary>Decodes written PNGs with ImageSharp and checks they hold a real picture.</summary>
internal static class PngAssert
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Folder under the test output where the figures are kept for a look after a run.</summary>
    public static string OutputPath(string fileName)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Reporting-output");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        File.Delete(path);
        return path;
    }

    /// <summary>Asserts a PNG of the given size with many colours; returns its pixels.</summary>
    public static Image<Rgba32> IsPicture(string path, int width, int height, int minimumColours = 16)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan().StartsWith(PngSignature), "not a PNG signature");

        var image = Image.Load<Rgba32>(bytes, out var format);
        Assert.Equal("PNG", format.Name);
        Assert.Equal(width, image.Width);
        Assert.Equal(height, image.Height);

        var colours = new HashSet<Rgba32>();
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                colours.Add(image[x, y]);
            }
        }

        Assert.True(colours.Count >= minimumColours, $"only {colours.Count} distinct colours: a flat image");
        return image;
    }

    /// <summary>Number of dark (text-like) pixels in a rectangle.</summary>
    public static int DarkPixels(Image<Rgba32> image, int left, int top, int width, int height)
    {
        var dark = 0;
        for (var y = top; y < top + height; y++)
        {
            for (var x = left; x < left + width; x++)
            {
                var p = image[x, y];
                if (p.R + p.G + p.B < 3 * 110)
                {
                    dark++;
                }
            }
        }

        return dark;
    }
}
