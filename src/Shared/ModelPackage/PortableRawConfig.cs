using System.Text.Json.Nodes;

namespace ConR.Shared.ModelPackage;

/// <summary>
/// The run configuration a card keeps (<see cref="TrainingCard.RawConfig"/>) without the training machine's
/// folders: a model package is copied to other machines and published, and absolute paths there say nothing
/// useful while they show how the trainer's disk was laid out.
/// </summary>
public static class PortableRawConfig
{
    /// <summary>The key of the data folder in both trainers' configs.</summary>
    public const string DataDirKey = "dataDir";

    /// <summary>
    /// A copy of <paramref name="raw"/> in which every absolute path among its top-level strings is made relative:
    /// <c>dataDir</c> becomes its last folder name (e.g. <c>utkface-dir</c>), a path inside the data folder becomes
    /// relative to it (<c>utkface_dir.csv</c>, <c>splits/val.csv</c>), any other absolute path its file name. Relative
    /// paths and non-path values are kept as they are.
    /// </summary>
    public static JsonObject Of(JsonObject raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var copy = (JsonObject)raw.DeepClone();
        string? dataDir = copy[DataDirKey] is JsonValue v && v.TryGetValue<string>(out var d) && Path.IsPathRooted(d) ? Path.TrimEndingDirectorySeparator(d) : null;
        foreach (var (key, node) in copy.ToList())
        {
            if (node is not JsonValue value || !value.TryGetValue<string>(out var text) || !Path.IsPathRooted(text)) continue;
            string trimmed = Path.TrimEndingDirectorySeparator(text);
            copy[key] = key == DataDirKey
                ? Path.GetFileName(trimmed)
                : dataDir is not null && IsInside(trimmed, dataDir) ? Path.GetRelativePath(dataDir, trimmed).Replace('\\', '/') : Path.GetFileName(trimmed);
        }
        return copy;
    }

    private static bool IsInside(string path, string folder) =>
        path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) || path.StartsWith(folder + '/', StringComparison.Ordinal);
}
