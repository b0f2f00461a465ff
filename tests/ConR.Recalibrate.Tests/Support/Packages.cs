using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConR.Shared.ModelPackage;

namespace ConR.Recalibrate.Tests.Support;

/// <summary>The API tests' schema-1 fixture packages, copied into a repository a test may change.</summary>
internal static class Packages
{
    public static string Schema1Fixtures { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "models-schema1");

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>Copies fixture NAME/1 to REPOSITORY/NAME/1 and returns that folder.</summary>
    public static string CopyFixture(string name, string repository)
    {
        var target = Directory.CreateDirectory(Path.Combine(repository, name, "1")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(Schema1Fixtures, name, "1")))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    public static ModelCard Card(string folder) =>
        ModelCardSerializer.Deserialize(File.ReadAllText(Path.Combine(folder, "model.json")), folder);

    public static JsonObject Json(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "model.json")))!.AsObject();

    /// <summary>Rewrites the package's card JSON in place (as an export of that data would have written it).</summary>
    public static void Edit(string folder, Action<JsonObject> edit)
    {
        var json = Json(folder);
        edit(json);
        File.WriteAllText(Path.Combine(folder, "model.json"), json.ToJsonString(Indented));
    }

    public static JsonNode? ToJson<T>(T value) => JsonSerializer.SerializeToNode(value, Web);

    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>Runs the tool as its Main does, capturing what it prints.</summary>
    public static (int Exit, string Output, string Error) Recalibrate(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = RecalibrateCommand.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
