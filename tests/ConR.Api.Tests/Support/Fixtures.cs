namespace ConR.Api.Tests.Support;

internal static class Fixtures
{
    /// <summary>Gets the committed fixture repository (age/1 and depth/1), copied next to the test assembly.</summary>
    public static string Repository { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "models");

    /// <summary>
    /// Gets the fixture repository as it was before card schema 2 (age/1 and depth/1 with schema-1 cards: one, balanced,
    /// calibration keyed by prediction), kept to prove old packages still serve.
    /// </summary>
    public static string Schema1Repository { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "models-schema1");

    /// <summary>The card of a fixture package, as the API reads it.</summary>
    public static ConR.Shared.ModelPackage.ModelCard Card(string model, string? repository = null)
    {
        var path = Path.Combine(repository ?? Repository, model, "1", "model.json");
        return ConR.Shared.ModelPackage.ModelCardSerializer.Deserialize(File.ReadAllText(path), path);
    }

    public static string Onnx(string model) => Path.Combine(Repository, model, "1", "model.onnx");
}

/// <summary>A throw-away copy of the fixture repository that a test may add versions to or break.</summary>
internal sealed class TempRepository : IDisposable
{
    public TempRepository()
    {
        Root = Path.Combine(Path.GetTempPath(), "conr-api-repo-" + Guid.NewGuid().ToString("N"));
        Copy(Fixtures.Repository, Root);
    }

    public string Root { get; }

    public string Folder(string model, int version) => Path.Combine(Root, model, version.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Copies version <paramref name="from"/> of <paramref name="model"/> to <paramref name="to"/>, with the card's
    /// version set to <paramref name="to"/> as an export would write it.
    /// </summary>
    public string AddVersion(string model, int from, int to)
    {
        var target = Folder(model, to);
        Copy(Folder(model, from), target);
        var card = Path.Combine(target, "model.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(card))!;
        json["version"] = to;
        File.WriteAllText(card, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return target;
    }


    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    private static void Copy(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
