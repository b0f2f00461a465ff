using System.Globalization;
using System.Text.Json.Nodes;

namespace ConR.Deploy.Tests.Support.Kustomize;

/// <summary>RFC 6902 add, remove, replace and test (a failed test fails the render, as in kustomize).</summary>
internal static class JsonPatch
{
    public static void Apply(JsonObject resource, JsonArray operations, string source)
    {
        foreach (var operation in operations.Cast<JsonObject>())
        {
            var op = operation["op"]!.GetValue<string>();
            var path = operation["path"]!.GetValue<string>();
            var tokens = path.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
            if (tokens.Length == 0)
            {
                throw new NotSupportedException($"{source}: {op} on the whole document.");
            }

            var parent = Navigate(resource, tokens[..^1], path, source);
            var last = tokens[^1];
            switch (op)
            {
                case "test":
                    var actual = Get(parent, last, path, source);
                    if (!JsonNode.DeepEquals(actual, operation["value"]))
                    {
                        throw new InvalidOperationException($"{source}: test {path} expected {operation["value"]?.ToJsonString()}, found {actual?.ToJsonString()}.");
                    }

                    break;
                case "remove":
                    Get(parent, last, path, source);
                    if (parent is JsonArray list)
                    {
                        list.RemoveAt(Index(last, path));
                    }
                    else
                    {
                        ((JsonObject)parent).Remove(last);
                    }

                    break;
                case "replace":
                    Get(parent, last, path, source);
                    Set(parent, last, operation["value"]?.DeepClone(), insert: false, path);
                    break;
                case "add":
                    Set(parent, last, operation["value"]?.DeepClone(), insert: true, path);
                    break;
                default:
                    throw new NotSupportedException($"{source}: op '{op}' is outside the subset the test renderer implements.");
            }
        }
    }

    private static JsonNode Navigate(JsonNode node, IEnumerable<string> tokens, string path, string source)
    {
        foreach (var token in tokens)
        {
            node = Get(node, token, path, source) ?? throw new InvalidOperationException($"{source}: {path} goes through a null.");
        }

        return node;
    }

    private static JsonNode? Get(JsonNode parent, string token, string path, string source) => parent switch
    {
        JsonObject map when map.TryGetPropertyValue(token, out var value) => value,
        JsonArray list when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < list.Count => list[i],
        _ => throw new InvalidOperationException($"{source}: {path} does not exist."),
    };

    private static void Set(JsonNode parent, string token, JsonNode? value, bool insert, string path)
    {
        if (parent is JsonObject map)
        {
            map[token] = value;
        }
        else if (parent is JsonArray list && insert)
        {
            if (token == "-")
            {
                list.Add(value);
            }
            else
            {
                list.Insert(Index(token, path), value);
            }
        }
        else
        {
            ((JsonArray)parent)[Index(token, path)] = value;
        }
    }

    private static int Index(string token, string path) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : throw new InvalidOperationException($"{path}: '{token}' is not a list index.");
}
