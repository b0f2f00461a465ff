using System.Text.Json.Nodes;

namespace ConR.Deploy.Tests.Support.Kustomize;

/// <summary>
/// Kubernetes' strategic merge patch for the fields deploy/k8s patches: maps merge key by key, a null deletes,
/// lists with a merge key (containers by name, env by name, ...) merge item by item (the patch's items first, then the
/// target's others, as kustomize orders them), atomic lists are replaced. A list that is neither is refused rather
/// than guessed. No <c>$patch</c> directives.
/// </summary>
internal static class StrategicMerge
{
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["imagePullSecrets"] = "name",
    };

    private static readonly HashSet<string> AtomicLists = ["tolerations", "command", "args", "accessModes", "drop", "add", "metrics"];

    public static void Apply(JsonObject target, JsonObject patch, string source) => Merge(target, patch, source);

    private static void Merge(JsonObject target, JsonObject patch, string source)
    {
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith('$'))
            {
                throw new NotSupportedException($"{source}: the directive {key} is outside the subset the test renderer implements.");
            }

            switch (target[key], value)
            {
                case (_, null):
                    target.Remove(key);
                    break;
                case (JsonObject into, JsonObject from):
                    Merge(into, from, source);
                    break;
                case (JsonArray into, JsonArray from):
                    target[key] = MergeList(key, into, from, source);
                    break;
                default:
                    target[key] = value.DeepClone();
                    break;
            }
        }
    }

    private static JsonArray MergeList(string field, JsonArray target, JsonArray patch, string source)
    {
        if (AtomicLists.Contains(field))
        {
            return (JsonArray)patch.DeepClone();
        }

        if (!MergeKeys.TryGetValue(field, out var mergeKey))
        {
            throw new NotSupportedException($"{source}: the list '{field}' has no merge key known to the test renderer; add it to StrategicMerge.");
        }

        var result = new JsonArray();
        var merged = new HashSet<JsonNode>(ReferenceEqualityComparer.Instance);
        foreach (var item in patch.OfType<JsonObject>())
        {
            var key = item[mergeKey]?.ToJsonString();
            var existing = target.OfType<JsonObject>().FirstOrDefault(t => t[mergeKey]?.ToJsonString() == key);
            var copy = (JsonObject)(existing ?? new JsonObject()).DeepClone();
            Merge(copy, item, source);
            result.Add(copy);
            if (existing is not null)
            {
                merged.Add(existing);
            }
        }

        foreach (var item in target.Where(t => t is not null && !merged.Contains(t)))
        {
            result.Add(item!.DeepClone());
        }

        return result;
    }
}
