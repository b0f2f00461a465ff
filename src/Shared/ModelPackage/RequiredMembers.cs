using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ConR.Shared.ModelPackage;

// Finds every missing required field before deserialising, so one error lists them all (System.Text.Json
// stops at the first) and "missing" is told apart from "present but 0". Required means: a constructor
// parameter of a card record with no default value and not annotated nullable. Derived by reflection so a
// new card field is checked without editing a list.
internal static class RequiredMembers
{
    /// <summary>Paths ("input.mean", "outputs[0].shape") of required fields absent or null in <paramref name="node"/>, in declaration order.</summary>
    public static List<string> Missing(JsonObject node, Type type, JsonNamingPolicy naming)
    {
        var missing = new List<string>();

        // NullabilityInfoContext caches and is not thread-safe, so one per call.
        Collect(node, type, string.Empty, new Walk(naming, new NullabilityInfoContext(), missing));
        return missing;
    }

    private static void Collect(JsonNode? node, Type type, string path, Walk walk)
    {
        if (IsRecord(type))
        {
            // A wrong JSON kind here is left to the deserialiser, which reports it with its path.
            if (node is JsonObject obj)
            {
                CollectObject(obj, type, path, walk);
            }

            return;
        }

        if (ElementTypeOf(type) is { } element && IsRecord(element) && node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Collect(array[i], element, $"{path}[{i}]", walk);
            }
        }
    }

    private static void CollectObject(JsonObject obj, Type type, string path, Walk walk)
    {
        var constructor = type.GetConstructors().MaxBy(c => c.GetParameters().Length)!;
        foreach (var parameter in constructor.GetParameters())
        {
            var name = walk.Naming.ConvertName(parameter.Name!);
            var childPath = path.Length == 0 ? name : $"{path}.{name}";
            var present = obj.TryGetPropertyValue(name, out var child);
            if (!present || (child is null && !AcceptsNull(type, parameter, walk.Nullability)))
            {
                if (!parameter.HasDefaultValue && !IsNullable(parameter, walk.Nullability))
                {
                    walk.Missing.Add(childPath);
                }

                continue;
            }

            Collect(child, parameter.ParameterType, childPath, walk);
        }
    }

    // Null is a value, not an absence, for nullable members and for doubles whose converter reads null as NaN.
    private static bool AcceptsNull(Type owner, ParameterInfo parameter, NullabilityInfoContext nullability) =>
        IsNullable(parameter, nullability)
        || owner.GetProperty(parameter.Name!)?.GetCustomAttribute<JsonConverterAttribute>() is not null;

    private static bool IsNullable(ParameterInfo parameter, NullabilityInfoContext nullability) =>
        Nullable.GetUnderlyingType(parameter.ParameterType) is not null
        || (!parameter.ParameterType.IsValueType && nullability.Create(parameter).WriteState == NullabilityState.Nullable);

    // Card records and the Metrics/Calibration records they embed; framework types (JsonObject, string) are leaves.
    private static bool IsRecord(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("ConR.Shared", StringComparison.Ordinal) == true;

    private static Type? ElementTypeOf(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : null;

    private sealed record Walk(JsonNamingPolicy Naming, NullabilityInfoContext Nullability, List<string> Missing);
}
