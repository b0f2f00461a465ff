using System.Text.Json;
using System.Text.Json.Nodes;
using ConR.Training.Depth.Data;
using ConR.Training.Depth.Models;
using ConR.Training.Models.Pretrained;
using ConR.Training.Reporting;
using ConR.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ConR.Training.Depth.Training;

/// <summary>The whole `train depth` command: validate, load data, train (or resume), then evaluate val and test and plot.</summary>
public static class DepthTrainingRun
{
    /// <summary>Val scenes shown in reports/depth-panel-val.png.</summary>
    public const int PanelScenes = 4;

    public static int Execute(DepthTrainConfig config, string outDir, bool resume, string deviceName, TextWriter log, CancellationToken cancellation = default)
    {
        config.Validate();
        // Before any data loads: a missing weights file is a setup error, not something to find after minutes of decoding.
        if (config.Init == ImageNetResNet18.InitName) ImageNetResNet18.RequireFile(ImageNetResNet18.DefaultPath);
        var run = new RunDirectory(outDir);
        config = TrainingCheckpoints.OpenRun(run, config, resume, ReadConfig, (saved, given) => saved with { Workers = given.Workers });

        var device = DeviceSelector.Select(deviceName, log);
        var data = DepthData.Load(config, log);
        log.WriteLine($"train {data.Train.Length}, val {data.Val.Length}, test {data.Test.Length} scenes; loss {config.Loss}, reweight {config.Reweight}{(config.Lds ? "+LDS" : "")}; " +
                      $"{(config.ConR ? $"ConR {config.ConRVariant} on (w {config.Window}, beta {config.Beta}, tau {config.Temperature}, e {config.PushingScale}{(config.Variant() == Losses.DepthConRVariant.Dense ? $", grid {config.DensePool}" : "")})" : "ConR off")}");
        if (config.ConR) LogPairRates(config, data, log);
        DepthRunState state;
        try
        {
            state = new DepthTrainer(config, run, device, log).Train(data, resume, cancellation);
        }
        catch (OperationCanceledException)
        {
            log.WriteLine();
            log.WriteLine("Interrupted. The last complete epoch is checkpointed: continue with the same command plus --resume.");
            return 130;
        }

        Directory.CreateDirectory(run.ReportsDir);
        // The plot's right axis is labelled for age (val MAE); for depth it carries the balanced val RMSE.
        RunPlots.WriteLossCurves(Path.Combine(run.ReportsDir, "loss-curves.png"),
            state.History.Select(h => new EpochPoint(h.Epoch, h.TrainRegressionLoss, h.TrainConRLoss, h.ValRmse)).ToList(), "RMSE (m)");
        DepthEvaluation.Run(run, config, data, "val", device, log);
        if (data.Test.Length > 0) DepthEvaluation.Run(run, config, data, "test", device, log);
        log.WriteLine($"Done: {state.CompletedEpochs} epochs in {state.TotalTrainSeconds / 60:F1} min of training; " +
                      $"best val RMSE {state.BestValRmse:F3} at epoch {state.BestEpoch}; {data.SkippedRows} rows skipped. Reports in {run.ReportsDir}");
        return 0;
    }

    /// <summary>
    /// Share of training pairs within the window under each label distance (first 256 training maps): how many
    /// positives each ConR variant sees at this --w, to pick comparable windows.
    /// </summary>
    public static (double OfficialDepth, double Dense) PairRates(DepthTrainConfig config, DepthData data, int maxScenes = 256)
    {
        var scenes = data.Train.Take(maxScenes).Where(s => s.Width == data.Train[0].Width && s.Height == data.Train[0].Height).ToArray();
        if (scenes.Length < 2) return (double.NaN, double.NaN);
        using var scope = NewDisposeScope();
        var maps = tensor(scenes.SelectMany(s => s.Depth).ToArray(), [scenes.Length, 1, scenes[0].Height, scenes[0].Width]);
        double Rate(int grid)
        {
            var (d, _, _) = Losses.DenseConRLoss.Distances(maps, maps, null, grid);
            long n = scenes.Length;
            return (d.le(config.Window).sum().ToDouble() - n) / (n * (n - 1));
        }
        return (Rate(1), Rate(config.DensePool));
    }

    private static void LogPairRates(DepthTrainConfig config, DepthData data, TextWriter log)
    {
        var (official, dense) = PairRates(config, data);
        log.WriteLine($"ConR window w = {config.Window} m: {official:P1} of training pairs are positives on mean depth (OfficialDepth), " +
                      $"{dense:P1} on {config.DensePool}x{config.DensePool} pooled maps (Dense)");
    }

    /// <summary>Reads a depth run's config.json (refusing age runs).</summary>
    public static DepthTrainConfig ReadConfig(RunDirectory run)
    {
        if (!IsDepthRun(run)) throw new ConfigurationException($"{run.ConfigPath} is not a depth run (no \"task\": \"depth\")");
        var config = RunDirectory.ReadJson<DepthTrainConfig>(run.ConfigPath);
        config.Validate();
        return config;
    }

    /// <summary>Whether the run folder's config.json declares task "depth" (age runs have no task field).</summary>
    public static bool IsDepthRun(RunDirectory run)
    {
        if (!run.HasConfig) return false;
        try
        {
            return JsonNode.Parse(File.ReadAllText(run.ConfigPath)) is JsonObject o
                && o["task"] is JsonValue v && v.TryGetValue<string>(out var task) && task == DepthTrainConfig.TaskName;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

/// <summary>Scores a depth run's best-on-val model on one split: reports/eval-{split}.json/.md, and for val the depth panel.</summary>
public static class DepthEvaluation
{
    public static DepthEvalReport Run(RunDirectory run, DepthTrainConfig config, DepthData data, string split, Device device, TextWriter log)
    {
        var scenes = data.Split(split);
        if (scenes.Length == 0) throw new ConfigurationException($"the {split} CSV has no rows");
        if (!File.Exists(run.BestModelPath)) throw new ConfigurationException($"{run.Root} has no best checkpoint yet ({run.BestModelPath} is missing)");
        using var model = LoadBest(run, config, device);
        var (table, allPixels, predictions) = DepthTrainer.Evaluate(model, data, split, device, config.Workers);
        var state = RunDirectory.ReadJson<DepthRunState>(Path.Combine(run.LastCheckpointDir()!, "state.json"));
        var report = new DepthEvalReport(split, state.BestEpoch, table.All.Pixels, table, allPixels);
        Directory.CreateDirectory(run.ReportsDir);
        RunDirectory.WriteJsonAtomic(Path.Combine(run.ReportsDir, $"eval-{split}.json"), report);
        var title = $"{Path.GetFileName(run.Root)}: {split}, balanced mask (best val epoch {state.BestEpoch})";
        var markdown = table.ToMarkdown(title) + "\n" + allPixels.ToMarkdown($"{Path.GetFileName(run.Root)}: {split}, every valid pixel");
        File.WriteAllText(Path.Combine(run.ReportsDir, $"eval-{split}.md"), markdown);
        if (split == "val") WritePanel(Path.Combine(run.ReportsDir, "depth-panel-val.png"), data, config, predictions);
        log.WriteLine(table.ToMarkdown(title));
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
        int w = config.ImageWidth, h = config.ImageHeight, n = Math.Min(DepthTrainingRun.PanelScenes, truth.Length);
        var aug = data.EvalAugmenter;
        var scenes = new List<(float[] Rgb, float[] Truth, float[] Prediction)>();
        var chw = new float[aug.RgbLength];
        var depth = new float[aug.EvalDepthLength];
        for (int i = 0; i < n; i++)
        {
            var s = data.Val[i];
            aug.ApplyEval(s.Rgb, s.Width, s.Height, s.Depth, s.Width, s.Height, chw, depth);
            var hwc = new float[w * h * 3];
            for (int c = 0; c < 3; c++)
            {
                for (int p = 0; p < w * h; p++)
                {
                    // Undo the ImageNet normalisation for display.
                    hwc[(p * 3) + c] = Math.Clamp((chw[(c * w * h) + p] * DepthAugmenter.ImageNetStd[c]) + DepthAugmenter.ImageNetMean[c], 0f, 1f);
                }
            }
            scenes.Add((hwc, truth[i], predictions[i]));
        }
        float max = Math.Max(1f, scenes.SelectMany(s => s.Truth).DefaultIfEmpty(1f).Max());
        RunPlots.WriteDepthPanel(path, scenes, w, h, MathF.Ceiling(max));
    }
}
