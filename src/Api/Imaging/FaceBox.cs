using ConR.Api.Errors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ConR.Api.Imaging;

/// <summary>The optional face crop of /v1/age, in pixels of the uploaded image (origin top left).</summary>
internal sealed record FaceBox(int X, int Y, int Width, int Height)
{
    /// <summary>
    /// The box from the four form fields: all four or none (absent, empty, or all four 0, Swagger UI's pre-filled form).
    /// </summary>
    /// <exception cref="ApiProblemException">400: a field that is not an integer, some fields missing, or a non-positive size.</exception>
    public static FaceBox? From(FormInt? x, FormInt? y, FormInt? width, FormInt? height)
    {
        foreach (var (name, field) in new[] { ("x", x), ("y", y), ("width", width), ("height", height) })
        {
            if (field?.Invalid is { } text)
            {
                throw Problems.BadRequest($"{name} must be a whole number of pixels (got '{text}').");
            }
        }

        return From(x?.Value, y?.Value, width?.Value, height?.Value);
    }

    private static FaceBox? From(int? x, int? y, int? width, int? height)
    {
        // All four at 0 is Swagger UI's pre-filled form, never a real box: treat it as no box, as absent fields are.
        if ((x, y, width, height) is (null, null, null, null) or (0, 0, 0, 0))
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
