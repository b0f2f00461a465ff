using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Bench;

/// <summary>A 200x200 face-like JPEG (the size of a UTKFace crop), made here so the bench needs no data set.</summary>
internal static class FaceJpeg
{
    public const int Size = 200;

    public static byte[] Create(int seed = 42)
    {
        var random = new Random(seed);
        using var image = new Image<Rgb24>(Size, Size);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var (r, g, b) = Pixel(x, y);
                    var noise = random.Next(-6, 7);
                    row[x] = new Rgb24(Clamp(r + noise), Clamp(g + noise), Clamp(b + noise));
                }
            }
        });
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 85 });
        return stream.ToArray();
    }

    private static (double R, double G, double B) Pixel(int x, int y)
    {
        // Background: a soft vertical gradient.
        (double R, double G, double B) color = (150 - (y * 0.3), 160 - (y * 0.2), 175 - (y * 0.1));

        // Shoulders and neck.
        if (Inside(x, y, 100, 230, 95, 60) || Inside(x, y, 100, 175, 26, 40))
        {
            color = (Inside(x, y, 100, 175, 26, 40) ? 205 : 60, Inside(x, y, 100, 175, 26, 40) ? 150 : 70, Inside(x, y, 100, 175, 26, 40) ? 120 : 110);
        }

        // Hair behind the face.
        if (Inside(x, y, 100, 88, 70, 78) && y < 120)
        {
            color = (70, 48, 32);
        }

        // Face: skin with a left-to-right shading.
        if (Inside(x, y, 100, 108, 58, 76))
        {
            var shade = 1.0 - (0.0018 * Math.Abs(x - 90)) - (0.001 * Math.Abs(y - 100));
            color = (228 * shade, 176 * shade, 146 * shade);

            // Fringe.
            if (y < 58 + (0.004 * (x - 100) * (x - 100)))
            {
                color = (72, 50, 34);
            }

            // Eyebrows, eyes, nose shadow, mouth.
            if (Inside(x, y, 78, 84, 13, 3) || Inside(x, y, 122, 84, 13, 3))
            {
                color = (80, 58, 42);
            }

            if (Inside(x, y, 78, 96, 10, 5) || Inside(x, y, 122, 96, 10, 5))
            {
                color = Inside(x, y, 78, 96, 4, 4) || Inside(x, y, 122, 96, 4, 4) ? (35, 30, 28) : (240, 236, 230);
            }

            if (Inside(x, y, 100, 122, 7, 16))
            {
                color = (color.R * 0.92, color.G * 0.9, color.B * 0.9);
            }

            if (Inside(x, y, 100, 148, 20, 6))
            {
                color = (180, 92, 92);
            }
        }

        return color;
    }

    private static bool Inside(int x, int y, double cx, double cy, double rx, double ry)
    {
        var dx = (x - cx) / rx;
        var dy = (y - cy) / ry;
        return (dx * dx) + (dy * dy) <= 1;
    }

    private static byte Clamp(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);
}
