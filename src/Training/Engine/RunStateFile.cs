using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConR.Training.Engine;

/// <summary>
/// Reads and writes a checkpoint's state.json. Files written before one epoch driver served every task (format 1: no
/// format field, the best value named after its metric) are migrated as they are read, so old run folders resume,
/// evaluate and export; the next checkpoint is written in the current format.
/// </summary>
public static class RunStateFile
{
    public const string FileName = "state.json";

    /// <summary>2: one state for every task, the best value under its metric's name. 1 (no format field): one per task.</summary>
    public const int CurrentFormat = 2;

    // Format 1's name of the best value, per task, and the metric it held.
    private static readonly (string Property, string Metric)[] Format1BestValues = [("bestValMae", "valMae"), ("bestValRmse", "valRmse")];

    public static void Write<TRecord>(string checkpointDir, RunState<TRecord> state) =>
        RunDirectory.WriteJsonAtomic(Path.Combine(checkpointDir, FileName), state);

    public static RunState<TRecord> Read<TRecord>(string checkpointDir)
    {
        var path = Path.Combine(checkpointDir, FileName);
        try
        {
            if (JsonNode.Parse(File.ReadAllText(path)) is not JsonObject json) throw new ConfigurationException($"{path} is not a JSON object");
            if (json["format"] is null) MigrateFormat1(json, path);
            var state = json.Deserialize<RunState<TRecord>>(RunDirectory.Json) ?? throw new ConfigurationException($"{path} is empty");
            if (state.Format != CurrentFormat)
                throw new ConfigurationException($"{path}: state format {state.Format} is not supported (expected {CurrentFormat}); it was written by a newer conr-train");
            return state;
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException($"{path} is not a valid run state: {ex.Message}");
        }
    }

    /// <summary>The state of the run's last checkpoint.</summary>
    public static RunState<TRecord> ReadLast<TRecord>(RunDirectory run) =>
        Read<TRecord>(run.LastCheckpointDir() ?? throw new ConfigurationException($"{run.Root} has no completed epoch"));

    private static void MigrateFormat1(JsonObject state, string path)
    {
        var (property, metric) = Format1BestValues.FirstOrDefault(p => state.ContainsKey(p.Property));
        if (property is null)
            throw new ConfigurationException($"{path} has neither a format nor a best value ({string.Join(" or ", Format1BestValues.Select(p => p.Property))}): not a run state of conr-train");
        var value = state[property];
        state.Remove(property);
        state["format"] = CurrentFormat;
        state["bestMetric"] = metric;
        state["bestValue"] = value;
    }
}
