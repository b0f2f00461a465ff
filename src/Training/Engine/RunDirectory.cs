using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConR.Training.Engine;

/// <summary>
/// The layout of a run folder. Checkpoints are written to a temporary folder and renamed into place, and the
/// pointer to the newest one is replaced atomically, so a run killed at any moment leaves a consistent checkpoint.
/// </summary>
public sealed class RunDirectory
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public RunDirectory(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }
    public string ConfigPath => Path.Combine(Root, "config.json");
    public string CheckpointsDir => Path.Combine(Root, "checkpoints");
    public string LastPointerPath => Path.Combine(CheckpointsDir, "last.json");
    public string BestDir => Path.Combine(CheckpointsDir, "best");
    public string BestModelPath => Path.Combine(BestDir, "model.bin");
    public string ReportsDir => Path.Combine(Root, "reports");

    public bool HasConfig => File.Exists(ConfigPath);

    /// <summary>The best model's path, after checking the best folder against its manifest.</summary>
    public string VerifiedBestModelPath()
    {
        CheckpointManifest.Verify(BestDir);
        return BestModelPath;
    }

    public static void WriteJsonAtomic<T>(string path, T value)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(value, Json));
        File.Move(tmp, path, overwrite: true);
    }

    public static T ReadJson<T>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json)
                ?? throw new ConfigurationException($"{path} is empty");
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException($"{path} is not a valid {typeof(T).Name}: {ex.Message}");
        }
    }

    /// <summary>The folder of the newest complete checkpoint, or null when the run has none yet.</summary>
    public string? LastCheckpointDir()
    {
        if (!File.Exists(LastPointerPath)) return null;
        var pointer = ReadJson<CheckpointPointer>(LastPointerPath);
        var dir = Path.Combine(CheckpointsDir, pointer.Folder);
        return Directory.Exists(dir) ? dir : throw new ConfigurationException($"{LastPointerPath} points to missing {dir}");
    }

    /// <summary>Writes a checkpoint folder with <paramref name="write"/>, then publishes it and removes older ones.</summary>
    public string CommitCheckpoint(int completedEpochs, Action<string> write)
    {
        Directory.CreateDirectory(CheckpointsDir);
        var name = $"epoch-{completedEpochs:D4}";
        var final = Path.Combine(CheckpointsDir, name);
        var tmp = final + ".tmp";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        write(tmp);
        CheckpointManifest.Write(tmp);
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(tmp, final);
        WriteJsonAtomic(LastPointerPath, new CheckpointPointer(name, completedEpochs));
        foreach (var old in Directory.GetDirectories(CheckpointsDir, "epoch-*"))
        {
            if (Path.GetFileName(old) != name) Directory.Delete(old, recursive: true);
        }
        return final;
    }

    /// <summary>Replaces the best-on-val model folder atomically.</summary>
    public void CommitBest(Action<string> write)
    {
        Directory.CreateDirectory(CheckpointsDir);
        var tmp = BestDir + ".tmp";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        write(tmp);
        CheckpointManifest.Write(tmp);
        var old = BestDir + ".old";
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        if (Directory.Exists(BestDir)) Directory.Move(BestDir, old);
        Directory.Move(tmp, BestDir);
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
    }

    private sealed record CheckpointPointer(string Folder, int CompletedEpochs);
}
