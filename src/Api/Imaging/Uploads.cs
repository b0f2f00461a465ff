using ConR.Api.Errors;
using ConR.Api.Options;

namespace ConR.Api.Imaging;

internal static class Uploads
{
    /// <summary>
    /// The one multipart file "image" of a single-image route, or a 400 that says what arrived: which fields, or more
    /// than one image (answering for the first alone would silently drop the rest), naming <paramref name="batchRoute"/>
    /// where there is one.
    /// </summary>
    public static IFormFile RequireImage(IFormFile? image, HttpRequest request, string? batchRoute = null)
    {
        var file = image ?? throw Missing(request);
        var count = request.Form.Files.GetFiles("image").Count;
        if (count > 1)
        {
            throw Problems.BadRequest(
                $"This route takes one image (got {count} files named 'image')" + (batchRoute is null ? "." : $"; send several to POST {batchRoute}."));
        }

        return file;
    }

    /// <summary>Every multipart field named "image", in order: 1 to <see cref="InferenceOptions.MaxImagesPerRequest"/>.</summary>
    public static IReadOnlyList<IFormFile> RequireImages(IFormFileCollection files, HttpRequest request)
    {
        var images = files.GetFiles("image");
        if (images.Count == 0)
        {
            throw Missing(request);
        }

        if (images.Count > InferenceOptions.MaxImagesPerRequest)
        {
            throw Problems.BadRequest($"At most {InferenceOptions.MaxImagesPerRequest} images per request (got {images.Count}).");
        }

        return images;
    }

    private static ApiProblemException Missing(HttpRequest request)
    {
        var fields = request.HasFormContentType
            ? request.Form.Files.Select(f => f.Name).Concat(request.Form.Keys).Distinct(StringComparer.Ordinal).ToArray()
            : [];
        var got = fields.Length == 0 ? "no fields" : "fields " + string.Join(", ", fields.Select(f => $"'{f}'"));
        // A part without a filename is a text field to ASP.NET Core: what `curl -F "image=<photo.jpg"` or FormData with
        // a string sends. Say so, rather than "image is required (got 'image')".
        var detail = request.HasFormContentType && request.Form.ContainsKey("image")
            ? "The multipart field 'image' arrived as text, not as a file: send it as a file part (curl -F image=@photo.jpg; in a browser, FormData.append('image', file) with a File or Blob)."
            : $"The multipart field 'image' with an image file is required (got {got}).";
        return Problems.BadRequest(detail, new Dictionary<string, object?> { ["fields"] = fields });
    }
}
