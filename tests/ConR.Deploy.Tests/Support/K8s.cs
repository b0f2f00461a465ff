using System.Text.Json.Nodes;

namespace ConR.Deploy.Tests.Support;

/// <summary>Reading Kubernetes objects held as JSON nodes.</summary>
internal static class K8s
{
    // The cluster-scoped kinds a namespace must not be set on (only these can appear in deploy/k8s).
    private static readonly HashSet<string> ClusterScoped = ["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass", "RuntimeClass"];

    public static string Kind(JsonObject resource) => resource["kind"]?.GetValue<string>() ?? throw new InvalidDataException($"An object without kind: {resource.ToJsonString()[..Math.Min(200, resource.ToJsonString().Length)]}");

    public static string Name(JsonObject resource) => Metadata(resource)["name"]?.GetValue<string>() ?? throw new InvalidDataException($"A {Kind(resource)} without metadata.name.");

    public static JsonObject Metadata(JsonObject resource) => resource["metadata"] as JsonObject ?? (JsonObject)(resource["metadata"] = new JsonObject());

    public static (string Group, string Version) GroupVersion(JsonObject resource)
    {
        var apiVersion = resource["apiVersion"]?.GetValue<string>() ?? string.Empty;
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (string.Empty, apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }

    public static bool IsClusterScoped(JsonObject resource) => ClusterScoped.Contains(Kind(resource));

    public static JsonObject Single(IEnumerable<JsonObject> resources, string kind) =>
        Assert.Single(resources, r => Kind(r) == kind);

    /// <summary>The pod spec of a Deployment (its template) or of a KServe InferenceService (its predictor).</summary>
    public static JsonObject PodSpec(JsonObject resource) => Kind(resource) switch
    {
        "Deployment" => (JsonObject)resource["spec"]!["template"]!["spec"]!,
        "InferenceService" => (JsonObject)resource["spec"]!["predictor"]!,
        var kind => throw new InvalidDataException($"A {kind} has no pod spec."),
    };

    public static JsonObject Container(JsonObject podSpec) => Assert.Single(podSpec["containers"]!.AsArray().Cast<JsonObject>());

    /// <summary>The container's environment: literal values as they are, values from a Secret or ConfigMap as null.</summary>
    public static IReadOnlyList<(string Name, string? Value, JsonObject? From)> Env(JsonObject container) =>
        [.. (container["env"] as JsonArray ?? []).Cast<JsonObject>().Select(e => (
            e["name"]!.GetValue<string>(),
            e["value"]?.ToString(),
            e["valueFrom"] as JsonObject))];

    public static string? EnvValue(JsonObject container, string name) => Env(container).SingleOrDefault(e => e.Name == name).Value;
}
