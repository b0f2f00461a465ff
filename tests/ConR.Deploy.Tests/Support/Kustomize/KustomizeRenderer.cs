using System.Text.Json.Nodes;

namespace ConR.Deploy.Tests.Support.Kustomize;

/// <summary>
/// Renders a kustomization the way <c>kubectl kustomize</c> does, for the subset deploy/k8s uses: resources (files and
/// bases), patches (strategic merge or JSON 6902), namespace, labels (metadata only) and images, applied in
/// kustomize's order. Anything else in a kustomization.yaml is refused by name, so a manifest that outgrows the subset
/// fails here instead of rendering wrong. Machines without kubectl (it is not in Debian 12's archive with a kustomize
/// that knows <c>labels</c> or <c>patches</c>) still render; where kubectl exists a test checks both agree.
/// </summary>
internal static class KustomizeRenderer
{
    private const string FileName = "kustomization.yaml";

    private static readonly HashSet<string> Fields = ["apiVersion", "kind", "namespace", "labels", "resources", "patches", "images"];

    public static IReadOnlyList<JsonObject> Render(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (YamlDocuments.ParseFile(path).SingleOrDefault() is not JsonObject kustomization)
        {
            throw new InvalidDataException($"{path}: expected one mapping.");
        }

        var unsupported = kustomization.Select(p => p.Key).Where(k => !Fields.Contains(k)).ToList();
        if (unsupported.Count > 0)
        {
            throw new NotSupportedException($"{path}: {string.Join(", ", unsupported)} is outside the subset the test renderer implements ({string.Join(", ", Fields)}); extend it in tests/ConR.Deploy.Tests/Support/Kustomize.");
        }

        var resources = new List<JsonObject>();
        foreach (var entry in Strings(kustomization["resources"]))
        {
            resources.AddRange(LoadResource(Path.GetFullPath(Path.Combine(directory, entry))));
        }

        foreach (var patch in Objects(kustomization["patches"]))
        {
            Patches.Apply(resources, patch, directory);
        }

        if (kustomization["namespace"]?.GetValue<string>() is { } ns)
        {
            SetNamespace(resources, ns);
        }

        foreach (var labels in Objects(kustomization["labels"]))
        {
            AddLabels(resources, labels, path);
        }

        foreach (var image in Objects(kustomization["images"]))
        {
            ImageTransformer.Apply(resources, image);
        }

        return resources;
    }

    private static IEnumerable<JsonObject> LoadResource(string path)
    {
        if (Directory.Exists(path))
        {
            return Render(path);
        }

        return YamlDocuments.ParseFile(path).Where(d => d is not null).Select(d => d as JsonObject
            ?? throw new InvalidDataException($"{path}: every document must be a Kubernetes object."));
    }

    private static void SetNamespace(List<JsonObject> resources, string ns)
    {
        foreach (var resource in resources.Where(r => !K8s.IsClusterScoped(r)))
        {
            K8s.Metadata(resource)["namespace"] = ns;
        }
    }

    // Only the form deploy/k8s uses: labels on each object's own metadata, not on selectors or pod templates (which
    // would change a Deployment's immutable selector).
    private static void AddLabels(List<JsonObject> resources, JsonObject entry, string path)
    {
        foreach (var flag in new[] { "includeSelectors", "includeTemplates" })
        {
            if (entry[flag]?.GetValue<bool>() == true)
            {
                throw new NotSupportedException($"{path}: labels.{flag} is outside the subset the test renderer implements.");
            }
        }

        var pairs = entry["pairs"] as JsonObject ?? throw new InvalidDataException($"{path}: labels entry without pairs.");
        foreach (var resource in resources)
        {
            var metadata = K8s.Metadata(resource);
            var labels = metadata["labels"] as JsonObject ?? (JsonObject)(metadata["labels"] = new JsonObject());
            foreach (var (key, value) in pairs)
            {
                labels[key] = value?.DeepClone();
            }
        }
    }

    internal static IEnumerable<string> Strings(JsonNode? node) =>
        (node as JsonArray)?.Select(n => n!.GetValue<string>()) ?? [];

    internal static IEnumerable<JsonObject> Objects(JsonNode? node) =>
        (node as JsonArray)?.Select(n => (JsonObject)n!) ?? [];
}
