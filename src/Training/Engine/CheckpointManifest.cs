using System.Security.Cryptography;

namespace ConR.Training.Engine;

/// <summary>
/// SHA-256 digests of a checkpoint folder's files, written as manifest.json when the folder is committed and checked
/// before anything is loaded from it, so a flipped bit or a truncated file is named instead of resumed or exported.
/// </summary>
/// <remarks>Folders written before manifests existed have none and are loaded unchecked.</remarks>
public static class CheckpointManifest
{
    public const string FileName = "manifest.json";

    /// <summary>Digests every file in <paramref name="dir"/> (the manifest excepted) into its manifest.</summary>
    public static void Write(string dir)
    {
        var digests = Directory.GetFiles(dir)
            .Where(f => Path.GetFileName(f) != FileName)
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToDictionary(f => Path.GetFileName(f), Digest);
        RunDirectory.WriteJsonAtomic(Path.Combine(dir, FileName), new Manifest(digests));
    }

    /// <summary>Throws a <see cref="ConfigurationException"/> naming the first file that is missing or differs.</summary>
    public static void Verify(string dir)
    {
        var path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) return;
        var manifest = RunDirectory.ReadJson<Manifest>(path);
        foreach (var (name, expected) in manifest.Files)
        {
            var file = Path.Combine(dir, name);
            if (!File.Exists(file)) throw new ConfigurationException($"checkpoint file {file} is missing (listed in {path})");
            if (!string.Equals(Digest(file), expected, StringComparison.Ordinal))
            {
                throw new ConfigurationException(
                    $"checkpoint file {file} is corrupt: its SHA-256 differs from the one recorded in {path} when it was written " +
                    "(a truncated or altered file); restore it from a copy, or retrain");
            }
        }
    }

    private static string Digest(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private sealed record Manifest(Dictionary<string, string> Files);
}
