using ConR.Api.Errors;
using ConR.Api.Options;

namespace ConR.Api.Imaging;

internal static class Uploads
{
    /// <summary>The multipart field "image", or a 400 that says which fields did arrive.</summary>
    public static IFormFile RequireImage(IFormFile? image, HttpRequest request) =>
        image ?? throw Missing(request);

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
        return Problems.BadRequest(
            $"The multipart field 'image' with an image file is required (got {got}).",
            new Dictionary<string, object?> { ["fields"] = fields });
    }
}
