using System.Text.Json.Nodes;

namespace ConR.Deploy.Tests.Support.Kustomize;

/// <summary>
/// One <c>patches</c> entry: a file (<c>path</c>) or inline text (<c>patch</c>) holding either a strategic merge patch
/// (a mapping: its own kind and name pick its target unless <c>target</c> says) or a JSON 6902 patch (a list of
/// operations: <c>target</c> required).
/// </summary>
internal static class Patches
{
    private static readonly HashSet<string> TargetFields = ["group", "version", "kind", "name", "namespace"];

    public static void Apply(List<JsonObject> resources, JsonObject entry, string directory)
    {
        var (text, source) = entry["path"]?.GetValue<string>() is { } file
            ? (File.ReadAllText(Path.Combine(directory, file)), Path.Combine(directory, file))
            : (entry["patch"]?.GetValue<string>() ?? throw new InvalidDataException($"{directory}: a patch needs path or patch."), $"{directory} (inline patch)");
        var document = YamlDocuments.Parse(text, source).Single();
        var target = entry["target"] as JsonObject;
        if (target?.Select(p => p.Key).FirstOrDefault(k => !TargetFields.Contains(k)) is { } field)
        {
            throw new NotSupportedException($"{source}: target.{field} is outside the subset the test renderer implements.");
        }

        switch (document)
        {
            case JsonArray operations:
                var matches = Matching(resources, target ?? throw new InvalidDataException($"{source}: a JSON 6902 patch needs a target."), source);
                foreach (var resource in matches)
                {
                    JsonPatch.Apply(resource, operations, source);
                }

                break;
            case JsonObject merge:
                target ??= TargetOf(merge);
                foreach (var resource in Matching(resources, target, source))
                {
                    StrategicMerge.Apply(resource, merge, source);
                }

                break;
            default:
                throw new InvalidDataException($"{source}: a patch is a mapping or a list of operations.");
        }
    }

    private static JsonObject TargetOf(JsonObject patch)
    {
        var (group, version) = K8s.GroupVersion(patch);
        return new JsonObject
        {
            ["group"] = group,
            ["version"] = version,
            ["kind"] = K8s.Kind(patch),
            ["name"] = K8s.Name(patch),
        };
    }

    // Like kustomize, a patch that matches nothing is an error: it would otherwise be silently lost.
    private static List<JsonObject> Matching(List<JsonObject> resources, JsonObject target, string source)
    {
        var found = resources.Where(r => Matches(r, target)).ToList();
        return found.Count > 0 ? found : throw new InvalidOperationException($"{source}: no resource matches target {target.ToJsonString()}.");
    }

    private static bool Matches(JsonObject resource, JsonObject target)
    {
        var (group, version) = K8s.GroupVersion(resource);
        return Field(target, "group", group) && Field(target, "version", version) && Field(target, "kind", K8s.Kind(resource))
            && Field(target, "name", K8s.Name(resource)) && Field(target, "namespace", K8s.Metadata(resource)["namespace"]?.GetValue<string>() ?? string.Empty);
    }

    private static bool Field(JsonObject target, string field, string actual) =>
        target[field]?.GetValue<string>() is not { } wanted || wanted == actual;
}
