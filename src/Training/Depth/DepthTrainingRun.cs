using System.Text.Json;
using System.Text.Json.Nodes;
using ConR.Training.ConR;
using ConR.Training.Depth.Data;
using ConR.Training.Encoder.Pretrained;
using ConR.Training.Engine;
using ConR.Training.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace ConR.Training.Depth;

/// <summary>The whole `train depth` command: validate, load data, train (or resume), then evaluate val and test and plot.</summary>
public static class DepthTrainingRun
{
    /// <summary>Val scenes shown in reports/depth-panel-val.png.</summary>
    public const int PanelScenes = 4;

    /// <summary>Below this many pixels per bin the balanced val RMSE is too noisy to pick epochs on.</summary>
    public const long ThinMaskPixelsPerBin = 100;

    public static int Execute(DepthTrainConfig config, string outDir, bool resume, string deviceName, TextWriter log, CancellationToken cancellation = default)
    {
        config.Validate();
        // Before any data loads: a missing weights file is a setup error, not something to find after minutes of decoding.
        if (config.Init == ImageNetResNet18.InitName) ImageNetResNet18.RequireFile(ImageNetResNet18.DefaultPath);
        var run = new RunDirectory(outDir);
        TrainingCheckpoints.RefuseOccupied(run, resume); // before the precision probe
        var device = DeviceSelector.Select(deviceName, log);
        // auto becomes fp32 or bf16 before config.json is written; a resumed run keeps what it was started with.
        config = config with
        {
            Precision = PrecisionChoice.ForRun(
                config.Precision, () => resume && run.HasConfig ? ReadConfig(run).Precision : null, device.type == DeviceType.CPU,
                bf16 => DepthStepBenchmark.MillisecondsPerStep(config.ModelSpec(), config.BatchSize, bf16), log),
        };
        config = OpenRun(run, config, resume);

        var data = DepthData.Load(config, log);
        log.WriteLine($"train {data.Train.Length}, val {data.Val.Length}, test {data.Test.Length} scenes; loss {config.Loss}, reweight {config.Reweight}{(config.Lds ? "+LDS" : "")}; " +
                      $"{(config.ConR ? $"ConR {config.ConRVariant} on (w {config.Window}, beta {config.Beta}, tau {config.Temperature}, e {config.PushingScale}{(config.Variant() == DepthConRVariant.Dense ? $", grid {config.DensePool}" : "")})" : "ConR off")}");
        if (config.ConR) LogPairRates(config, data, log);
        LogValMask(data, log);
        RunState<DepthEpochRecord> state;
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
                      $"best val RMSE {state.BestValue:F3} at epoch {state.BestEpoch}; {data.SkippedRows} rows skipped. Reports in {run.ReportsDir}");
        return 0;
    }

    private static DepthTrainConfig OpenRun(RunDirectory run, DepthTrainConfig config, bool resume) =>
        TrainingCheckpoints.OpenRun(run, config, resume, ReadConfig, (saved, given) => saved with { Workers = given.Workers });

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
            var (d, _, _) = DenseConRLoss.Distances(maps, maps, null, grid);
            long n = scenes.Length;
            return (d.le(config.Window).sum().ToDouble() - n) / (n * (n - 1));
        }
        return (Rate(1), Rate(config.DensePool));
    }

    /// <summary>Val picks the best epoch: say what its balanced mask scores, and warn when it is too thin to choose on.</summary>
    private static void LogValMask(DepthData data, TextWriter log)
    {
        if (data.EvalMask("val") is not { } mask) return;
        log.WriteLine($"Val balanced mask: {mask.Describe()}.");
        if (mask.PixelsPerBin < ThinMaskPixelsPerBin)
        {
            log.WriteLine($"Warning: {mask.PixelsPerBin} val pixels per bin make best-epoch selection noisy; --mask-min-bin-pixels N leaves out bins under N pixels (e.g. 1000).");
        }
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
