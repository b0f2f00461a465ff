using ConR.Training.Depth.Data;
using ConR.Training.Depth.Models;
using ConR.Training.Engine;
using ConR.Training.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace ConR.Training.Depth;

/// <summary>Scores a depth run's best-on-val model on one split: reports/eval-{split}.json/.md, and for val the depth panel.</summary>
public static class DepthEvaluation
{
    public static DepthEvalReport Run(RunDirectory run, DepthTrainConfig config, DepthData data, string split, Device device, TextWriter log)
    {
        var scenes = data.Split(split);
        if (scenes.Length == 0) throw new ConfigurationException($"the {split} CSV has no rows");
        if (!File.Exists(run.BestModelPath)) throw new ConfigurationException($"{run.Root} has no best checkpoint yet ({run.BestModelPath} is missing)");
        using var model = LoadBest(run, config, device);
        var (table, allPixels, predictions) = DepthPredictions.Evaluate(model, data, split, device, config.Workers);
        var state = RunStateFile.ReadLast<DepthEpochRecord>(run);
        var mask = data.EvalMask(split)!;
        var report = new DepthEvalReport(split, state.BestEpoch, table.All.Pixels, mask, table, allPixels);
        Directory.CreateDirectory(run.ReportsDir);
        RunDirectory.WriteJsonAtomic(Path.Combine(run.ReportsDir, $"eval-{split}.json"), report);
        var title = $"{Path.GetFileName(run.Root)}: {split}, balanced mask (best val epoch {state.BestEpoch})";
        var markdown = table.ToMarkdown(title) + $"\nBalanced mask: {mask.Describe()}.\n\n" + allPixels.ToMarkdown($"{Path.GetFileName(run.Root)}: {split}, every valid pixel");
        File.WriteAllText(Path.Combine(run.ReportsDir, $"eval-{split}.md"), markdown);
        if (split == "val") WritePanel(Path.Combine(run.ReportsDir, "depth-panel-val.png"), data, config, predictions);
        log.WriteLine(table.ToMarkdown(title));
        log.WriteLine($"Balanced mask: {mask.Describe()}.");
        return report;
    }

    public static DepthNet LoadBest(RunDirectory run, DepthTrainConfig config, Device device)
    {
        var model = new DepthNet(config.ModelSpec());
        try
        {
            model.load(run.VerifiedBestModelPath());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            model.Dispose();
            throw new ConfigurationException($"{run.BestModelPath} does not match the run's architecture ({config.Architecture}, width {config.Width}): {ex.Message}");
        }
        model.to(device);
        model.eval();
        return model;
    }

    private static void WritePanel(string path, DepthData data, DepthTrainConfig config, float[][] predictions)
    {
        var (truth, _) = data.EvalTruth("val");
        int n = Math.Min(DepthTrainingRun.PanelScenes, truth.Length);
        var scenes = new List<(float[] Rgb, float[] Truth, float[] Prediction)>();
        for (int i = 0; i < n; i++) scenes.Add((DepthPanelScenes.DisplayRgb(data, data.Val[i]), truth[i], predictions[i]));
        float max = Math.Max(1f, scenes.SelectMany(s => s.Truth).DefaultIfEmpty(1f).Max());
        RunPlots.WriteDepthPanel(path, scenes, config.ImageWidth, config.ImageHeight, MathF.Ceiling(max));
    }
}
