using System.Text.Json.Nodes;

namespace ConR.Deploy.Tests.Support.Kustomize;

/// <summary>
/// The <c>images</c> entries: every container and init container whose image name (without tag or digest) equals
/// <c>name</c> gets <c>newName</c>, <c>newTag</c> and/or <c>digest</c>.
/// </summary>
internal static class ImageTransformer
{
    private static readonly HashSet<string> Fields = ["name", "newName", "newTag", "digest"];

    public static void Apply(List<JsonObject> resources, JsonObject entry)
    {
        if (entry.Select(p => p.Key).FirstOrDefault(k => !Fields.Contains(k)) is { } field)
        {
            throw new NotSupportedException($"images.{field} is outside the subset the test renderer implements.");
        }

        var name = entry["name"]!.GetValue<string>();
        foreach (var container in resources.SelectMany(Containers))
        {
            if (container["image"]?.GetValue<string>() is not { } image)
            {
                continue;
            }

            var (imageName, tag, digest) = Split(image);
            if (imageName != name)
            {
                continue;
            }

            imageName = entry["newName"]?.GetValue<string>() ?? imageName;
            if (entry["newTag"]?.GetValue<string>() is { } newTag)
            {
                (tag, digest) = (newTag, null);
            }

            if (entry["digest"]?.GetValue<string>() is { } newDigest)
            {
                (tag, digest) = (null, newDigest);
            }

            container["image"] = imageName + (tag is null ? string.Empty : ":" + tag) + (digest is null ? string.Empty : "@" + digest);
        }
    }

    /// <summary>registry:5000/team/app:1.2@sha256:... into its name, tag and digest (a port is not a tag).</summary>
    public static (string Name, string? Tag, string? Digest) Split(string image)
    {
        string? digest = null;
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = image[(at + 1)..];
            image = image[..at];
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..], digest) : (image, null, digest);
    }

    private static IEnumerable<JsonObject> Containers(JsonNode? node) => node switch
    {
        JsonObject map => map.SelectMany(p => p.Key is "containers" or "initContainers" && p.Value is JsonArray list
            ? list.OfType<JsonObject>()
            : Containers(p.Value)),
        JsonArray list => list.SelectMany(Containers),
        _ => [],
    };
}
