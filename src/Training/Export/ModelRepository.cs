using ConR.Shared.ModelPackage;

namespace ConR.Training.Export;

/// <summary>
/// A Triton-style model repository: REPO/NAME/VERSION/{model.onnx, model.json} with integer versions.
/// A package is assembled in a hidden temporary folder and renamed into place, so a failed export leaves nothing.
/// </summary>
public sealed class ModelRepository(string root)
{
    public const string OnnxFile = "model.onnx", CardFile = "model.json";

    public string Root { get; } = Path.GetFullPath(root);

    public IReadOnlyList<int> Versions(string name)
    {
        var dir = Path.Combine(Root, name);
        if (!Directory.Exists(dir)) return [];
        return Directory.GetDirectories(dir)
            .Select(d => int.TryParse(Path.GetFileName(d), out var v) && v > 0 ? v : 0)
            .Where(v => v > 0).Order().ToList();
    }

    /// <summary>The version to write: the one asked for (which must not exist yet) or the newest plus one.</summary>
    public int NextVersion(string name, int? requested)
    {
        var existing = Versions(name);
        if (requested is int v)
        {
            if (v < 1) throw new ArgumentException($"--version must be a positive integer (got {v})");
            if (existing.Contains(v)) throw new IOException($"{Path.Combine(Root, name, v.ToString(System.Globalization.CultureInfo.InvariantCulture))} already exists; versions are never overwritten");
            return v;
        }
        return existing.Count == 0 ? 1 : existing[^1] + 1;
    }

    /// <summary>
    /// Publishes <paramref name="onnx"/> with <paramref name="card"/> as CARD.Name/CARD.Version. The card is serialised
    /// first, which validates it: an invalid card is never published.
    /// </summary>
    public string PublishPackage(ModelCard card, byte[] onnx)
    {
        var json = ModelCardSerializer.Serialize(card);
        return Publish(card.Name, card.Version, dir =>
        {
            File.WriteAllBytes(Path.Combine(dir, OnnxFile), onnx);
            File.WriteAllText(Path.Combine(dir, CardFile), json);
        });
    }

    /// <summary>Writes a package with <paramref name="write"/> into a temporary folder, then publishes it atomically.</summary>
    public string Publish(string name, int version, Action<string> write)
    {
        if (ModelNames.Problem(name) is { } problem) throw new ArgumentException(problem);
        var modelDir = Path.Combine(Root, name);
        Directory.CreateDirectory(modelDir);
        var final = Path.Combine(modelDir, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var tmp = Path.Combine(modelDir, $".{version}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tmp);
        try
        {
            write(tmp);
            if (Directory.Exists(final)) throw new IOException($"{final} appeared during the export; versions are never overwritten");
            Directory.Move(tmp, final);
            return final;
        }
        finally
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        }
    }
}
