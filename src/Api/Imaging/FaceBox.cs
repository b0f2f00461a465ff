using ConR.Api.Errors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ConR.Api.Imaging;

/// <summary>The optional face crop of /v1/age, in pixels of the uploaded image (origin top left).</summary>
internal sealed record FaceBox(int X, int Y, int Width, int Height)
{
    /// <summary>The box from the four form fields: all four or none.</summary>
    /// <exception cref="ApiProblemException">400: some fields missing, or a non-positive size.</exception>
    public static FaceBox? From(int? x, int? y, int? width, int? height)
    {
        if (x is null && y is null && width is null && height is null)
        {
            return null;
        }

        if (x is not int bx || y is not int by || width is not int bw || height is not int bh)
        {
            var missing = new[] { ("x", x), ("y", y), ("width", width), ("height", height) }.Where(f => f.Item2 is null).Select(f => f.Item1);
            throw Problems.BadRequest($"A face box needs all of x, y, width and height, or none; missing: {string.Join(", ", missing)}.");
        }

        if (bw <= 0 || bh <= 0)
        {
            throw Problems.BadRequest($"The face box must have a positive width and height (got {bw}x{bh}).");
        }

        return new FaceBox(bx, by, bw, bh);
    }

    /// <summary>Crops <paramref name="image"/> to the box in place.</summary>
    /// <exception cref="ApiProblemException">422: the box does not lie inside the image.</exception>
    public void Crop(Image<Rgb24> image)
    {
        if (X < 0 || Y < 0 || (long)X + Width > image.Width || (long)Y + Height > image.Height)
        {
            throw Problems.Unprocessable($"The face box (x {X}, y {Y}, {Width}x{Height}) does not lie inside the {image.Width}x{image.Height} image.");
        }

        image.Mutate(context => context.Crop(new Rectangle(X, Y, Width, Height)));
    }
}
