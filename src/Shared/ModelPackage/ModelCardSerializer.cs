using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ConR.Shared.Metrics;

namespace ConR.Shared.ModelPackage;

/// <summary>Reads and writes <see cref="ModelCard"/> as camelCase JSON, refusing cards the serving API could not use.</summary>
public static class ModelCardSerializer
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>Indented camelCase JSON of a valid card. NaN metrics and coverages are written as null.</summary>
    /// <exception cref="ModelCardException">The card is invalid: a package that would not load is never written.</exception>
    public static string Serialize(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        ThrowIfInvalid(card.Validate(), "model card to serialize");
        return JsonSerializer.Serialize(card, Options);
    }

    /// <summary>
    /// Parses and validates a card. Checks run in order, and the first failing stage throws listing all of
    /// its problems: JSON syntax; schemaVersion (older than <see cref="ModelCard.OldestReadableSchemaVersion"/> or newer
    /// than <see cref="ModelCard.CurrentSchemaVersion"/>); missing required fields; JSON value types;
    /// <see cref="ModelCard.Validate"/>. An older card is first upgraded (<see cref="ModelCardUpgrade"/>), so the
    /// result is always a current card and field paths in errors are current paths.
    /// </summary>
    /// <param name="json">The card text.</param>
    /// <param name="sourceName">Where it came from (e.g. "model.json"), to start every error message.</param>
    /// <exception cref="ModelCardException">The card cannot be used; the message says exactly why.</exception>
    public static ModelCard Deserialize(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourceName);

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw Fail(sourceName, $"not valid JSON ({ex.Message})", ex);
        }

        if (root is not JsonObject card)
        {
            throw Fail(sourceName, "the card must be a JSON object");
        }

        var version = CheckSchemaVersion(card, sourceName);
        if (version < ModelCard.CurrentSchemaVersion)
        {
            ModelCardUpgrade.ToCurrent(card, version);
        }

        var missing = RequiredMembers.Missing(card, typeof(ModelCard), Options.PropertyNamingPolicy!);
        if (missing.Count > 0)
        {
            throw new ModelCardException(sourceName, "missing " + string.Join(", ", missing), [.. missing.Select(path => path + ": missing")]);
        }

        ModelCard? result;
        try
        {
            result = card.Deserialize<ModelCard>(Options);
        }
        catch (JsonException ex)
        {
            var path = ex.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : ex.Path ?? "$";
            throw Fail(sourceName, $"{path}: wrong JSON type ({ex.Message})", ex);
        }

        ThrowIfInvalid(result!.Validate(), sourceName);
        return result;
    }

    private static int CheckSchemaVersion(JsonObject card, string sourceName)
    {
        if (!card.TryGetPropertyValue("schemaVersion", out var node) || node is null)
        {
            throw Fail(sourceName, "missing schemaVersion");
        }

        if (node is not JsonValue value || !value.TryGetValue<int>(out var version))
        {
            throw Fail(sourceName, $"schemaVersion must be an integer (got {node.ToJsonString()})");
        }

        if (version > ModelCard.CurrentSchemaVersion)
        {
            throw Fail(sourceName, $"unsupported schemaVersion {version}: newer than {ModelCard.CurrentSchemaVersion}, the newest version this code reads; update the serving code");
        }

        if (version < ModelCard.OldestReadableSchemaVersion)
        {
            throw Fail(sourceName, $"unsupported schemaVersion {version}: older than {ModelCard.OldestReadableSchemaVersion}, the oldest version this code reads; re-export the package");
        }

        return version;
    }

    private static void ThrowIfInvalid(IReadOnlyList<string> problems, string sourceName)
    {
        if (problems.Count > 0)
        {
            throw new ModelCardException(sourceName, "invalid model card: " + string.Join("; ", problems), problems);
        }
    }

    private static ModelCardException Fail(string sourceName, string problem, Exception? inner = null) =>
        new(sourceName, problem, [problem], inner);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            NumberHandling = JsonNumberHandling.Strict,
        };

        // Coverage of a range no test sample reached is NaN; JSON has no NaN, so it travels as null.
        options.Converters.Add(new NanAsNullConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
