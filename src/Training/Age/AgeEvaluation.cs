using System.Text.Json;
using ConR.Shared.Metrics;
using ConR.Training.Age.Data;
using ConR.Training.Age.Models;
using ConR.Training.Engine;
using ConR.Training.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace ConR.Training.Age;

/// <summary>Scores the best-on-val model of a run on one split and writes the DIR table (JSON and Markdown) and a plot.</summary>
public static class AgeEvaluation
{
    public sealed record Report(string Split, int BestEpoch, DirTable Table, IReadOnlyList<RangeError> Ranges);

    public static Report Run(RunDirectory run, AgeTrainConfig config, AgeData data, string split, Device device, TextWriter log)
    {
        var indices = split switch
        {
            "val" => data.Val,
            "test" => data.Test,
            _ => throw new ConfigurationException($"--split must be val or test (got '{split}')"),
        };
        if (indices.Length == 0) throw new ConfigurationException($"the CSV has no {split} rows");
        if (!File.Exists(run.BestModelPath)) throw new ConfigurationException($"{run.Root} has no best checkpoint yet ({run.BestModelPath} is missing)");

        using var model = new AgeRegressor(config.ModelSpec());
        model.load(run.VerifiedBestModelPath());
        model.to(device);
        var predictions = AgePredictions.Predict(model, data, indices, config.Workers, device);
        var labels = indices.Select(i => (double)data.Label(i)).ToArray();
        var table = DirMetrics.Compute(predictions, labels, data.TrainHistogram, new ShotThresholds());
        var ranges = RangeErrors.Compute(predictions, labels, 5, 0);
        var state = RunStateFile.ReadLast<AgeEpochRecord>(run);
        var report = new Report(split, state.BestEpoch, table, ranges);

        Directory.CreateDirectory(run.ReportsDir);
        RunDirectory.WriteJsonAtomic(Path.Combine(run.ReportsDir, $"eval-{split}.json"), report);
        var title = $"{Path.GetFileName(run.Root)}: {split} (best val epoch {state.BestEpoch})";
        File.WriteAllText(Path.Combine(run.ReportsDir, $"eval-{split}.md"), table.ToMarkdown(title));
        RunPlots.WriteErrorByLabel(Path.Combine(run.ReportsDir, $"error-by-age-{split}.png"), labels, predictions,
            data.TrainHistogram.Counts, 1, $"{split}: MAE per age, training histogram behind", "years");
        log.WriteLine(table.ToMarkdown(title));
        return report;
    }

    public static string ToJson(Report report) => JsonSerializer.Serialize(report, RunDirectory.Json);
}
