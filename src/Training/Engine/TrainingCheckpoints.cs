using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConR.Training.Engine;

/// <summary>
/// The checkpoint protocol every trainer follows: resume from the last committed epoch (or refuse to train over an
/// existing run), and commit each finished epoch, the best model first, then the full checkpoint, atomically.
/// </summary>
internal static class TrainingCheckpoints
{
    private const string ModelFile = "model.bin", OptimizerFile = "optimizer.bin";

    /// <summary>
    /// Opens the run folder for a new run (writes config.json; refuses a folder that holds a run) or for --resume (reads
    /// the saved config with <paramref name="read"/> and refuses flags that differ). Returns the config to train with:
    /// the saved one, with <paramref name="keepGiven"/> carrying over the settings that may change between invocations.
    /// </summary>
    public static TConfig OpenRun<TConfig>(RunDirectory run, TConfig config, bool resume, Func<RunDirectory, TConfig> read, Func<TConfig, TConfig, TConfig> keepGiven)
        where TConfig : class
    {
        if (resume)
        {
            if (!run.HasConfig) throw new ConfigurationException($"--resume: {run.ConfigPath} does not exist");
            var saved = keepGiven(read(run), config);
            if (!saved.Equals(config))
                throw new ConfigurationException($"--resume: the flags differ from the run's config.json in {Differences(saved, config)}; resume with the same flags (see {run.ConfigPath})");
            return saved;
        }

        RefuseOccupied(run, resume);
        Directory.CreateDirectory(run.Root);
        RunDirectory.WriteJsonAtomic(run.ConfigPath, config);
        return config;
    }

    /// <summary>
    /// Refuses a new run (<paramref name="resume"/> false) in a folder that already holds one. Trainers call it before
    /// anything slow (a precision probe, data decoding) so the refusal comes at once.
    /// </summary>
    public static void RefuseOccupied(RunDirectory run, bool resume)
    {
        if (!resume && run.HasConfig) throw Occupied(run);
    }

    private static ConfigurationException Occupied(RunDirectory run) =>
        new($"{run.Root} already holds a run: pass --resume to continue it or choose another --out");

    // Names what a refused --resume would change, so a user need not diff two JSON files (a default that changed
    // between versions shows up here as a setting the run has and the flags no longer give).
    internal static string Differences<TConfig>(TConfig saved, TConfig given)
    {
        var run = JsonSerializer.SerializeToNode(saved, RunDirectory.Json)!.AsObject();
        var flags = JsonSerializer.SerializeToNode(given, RunDirectory.Json)!.AsObject();
        var differing = run.Select(p => p.Key).Union(flags.Select(p => p.Key))
            .Where(key => !JsonNode.DeepEquals(run[key], flags[key]))
            .Select(key => string.Create(CultureInfo.InvariantCulture, $"{key} (run: {Show(run[key])}, flags: {Show(flags[key])})"));
        return string.Join(", ", differing);
    }

    private static string Show(JsonNode? value) => value?.ToJsonString() ?? "null";

    /// <summary>
    /// The state of the last checkpoint, with <paramref name="model"/>, <paramref name="optimizer"/> and whatever
    /// <paramref name="loadExtra"/> reads restored from it; null when the run folder has no checkpoint yet.
    /// </summary>
    /// <exception cref="ConfigurationException">
    /// The folder holds a run and <paramref name="resume"/> is false, or its best epoch was chosen on another metric
    /// than <paramref name="bestMetric"/> (a run of another task).
    /// </exception>
    public static RunState<TRecord>? Resume<TRecord>(
        RunDirectory run, bool resume, nn.Module model, OptimizerHelper optimizer, string bestMetric, Action<string> loadExtra)
    {
        var last = run.LastCheckpointDir();
        if (last is null) return null;
        if (!resume) throw Occupied(run);
        CheckpointManifest.Verify(last);
        var state = RunStateFile.Read<TRecord>(last);
        if (state.BestMetric != bestMetric)
            throw new ConfigurationException($"{Path.Combine(last, RunStateFile.FileName)} chose its best epoch on {state.BestMetric}, this task on {bestMetric}: the folder holds a run of another task");
        model.load(Path.Combine(last, ModelFile));
        optimizer.load_state_dict(Path.Combine(last, OptimizerFile));
        loadExtra(last);
        return state;
    }

    /// <summary>Commits epoch <paramref name="completedEpochs"/>: the best model when it is the best so far, then the checkpoint.</summary>
    public static void CommitEpoch<TRecord>(
        RunDirectory run, int completedEpochs, bool best, nn.Module model, OptimizerHelper optimizer, RunState<TRecord> state, Action<string> saveExtra)
    {
        if (best) run.CommitBest(dir => model.save(Path.Combine(dir, ModelFile)));
        run.CommitCheckpoint(completedEpochs, dir =>
        {
            model.save(Path.Combine(dir, ModelFile));
            optimizer.save_state_dict(Path.Combine(dir, OptimizerFile));
            saveExtra(dir);
            RunStateFile.Write(dir, state);
        });
    }
}
