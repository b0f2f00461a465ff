using System.Text.Json;
using ConR.Shared.ModelPackage;

namespace ConR.Recalibrate;

/// <summary>Checks on the data folders: the card's split digest, and what a SynthDepth-DIR folder says about itself.</summary>
internal static class SplitFiles
{
    /// <summary>The generator's summary file in a SynthDepth-DIR folder.</summary>
    public const string SynthSummary = "summary.json";

    /// <exception cref="RecalibrationInputException">The file is missing.</exception>
    /// <exception cref="RecalibrationRefusedException">Its SHA-256 is not the card's.</exception>
    public static void RequireDigest(string path, string expected)
    {
        if (!File.Exists(path))
        {
            throw new RecalibrationInputException($"Split file {path} not found.");
        }

        var digest = Sha256File.Of(path);
        if (!string.Equals(digest, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new RecalibrationRefusedException($"{path} has SHA-256 {digest}, but the card's split file has {expected}: not the data the card was measured on.");
        }
    }

    /// <summary>
    /// The SynthDepth-DIR generator settings a folder was made with (its summary.json), or null when it has none: the
    /// command that regenerates it, byte for byte.
    /// </summary>
    public static SynthSettings? Synth(string folder)
    {
        var path = Path.Combine(folder, SynthSummary);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            return root.TryGetProperty("dataset", out var name) && name.GetString() == "SynthDepth-DIR"
                ? new SynthSettings(root.GetProperty("count").GetInt32(), root.GetProperty("width").GetInt32(), root.GetProperty("height").GetInt32(), root.GetProperty("seed").GetInt32())
                : null;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new RecalibrationInputException($"{path} is not a SynthDepth-DIR summary: {ex.Message}", ex);
        }
    }
}

/// <summary>How a SynthDepth-DIR folder was generated.</summary>
internal sealed record SynthSettings(int Count, int Width, int Height, int Seed)
{
    public string Command => $"conr-train synth-depth --count {Count} --size {Width}x{Height} --seed {Seed}";
}
