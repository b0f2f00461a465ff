using System.Text.Json.Nodes;

namespace ConR.Deploy.Tests.Support;

/// <summary>JSON text with every object's keys sorted, so that two renderings compare as text and diff readably.</summary>
internal static class CanonicalJson
{
    public static string Write(JsonNode? node) => Sort(node)?.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) ?? "null";

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject map => new JsonObject(map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray list => new JsonArray([.. list.Select(Sort)]),
        _ => node?.DeepClone(),
    };
}
