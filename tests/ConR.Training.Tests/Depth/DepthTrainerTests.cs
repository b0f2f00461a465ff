using System.Text.Json;
using ConR.Training.Depth;
using ConR.Training.Depth.Data;
using ConR.Training.Depth.Models;
using ConR.Training.Engine;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Depth;

/// <summary>The depth trainer on tiny generated scenes: resume, divergence, model selection, every loss, and the CLI.</summary>
[Collection(SeededTorchRuns.Name)]
public sealed class DepthTrainerTests
{
    [Fact]
    public void Train_InterruptedAfterOneEpochThenResumed_MatchesUninterruptedRun()
    {
        using var set = new TinyDepthDataSet();
        var config = set.Config(epochs: 2, conr: true) with { Reweight = "inverse", Lds = true };
        var data = DepthData.Load(config, TextWriter.Null);

        var straight = new RunDirectory(set.NewRunDir());
        var straightState = new DepthTrainer(config, straight, CPU, TextWriter.Null).Train(data, resume: false);

        var interrupted = new RunDirectory(set.NewRunDir());
        using (var stop = new CancellationTokenSource())
        {
            var first = new DepthTrainer(config, interrupted, CPU, TextWriter.Null);
            first.EpochCompleted += _ => stop.Cancel();
            Assert.Throws<OperationCanceledException>(() => first.Train(data, resume: false, stop.Token));
        }
        Assert.Contains("epoch-0001", interrupted.LastCheckpointDir()!, StringComparison.Ordinal);
        var resumedState = new DepthTrainer(config, interrupted, CPU, TextWriter.Null).Train(data, resume: true);

        Assert.Equal(2, resumedState.CompletedEpochs);
        Assert.Equal(straightState.History.Select(h => h.ValRmse), resumedState.History.Select(h => h.ValRmse));
        Assert.Equal(straightState.History.Select(h => h.TrainConRLoss), resumedState.History.Select(h => h.TrainConRLoss));
        Assert.True(straightState.History.Any(h => h.TrainConRLoss > 0), "ConR should contribute on these scenes");
        using var a = new DepthNet(config.ModelSpec());
        using var b = new DepthNet(config.ModelSpec());
        a.load(Path.Combine(straight.LastCheckpointDir()!, "model.bin"));
        b.load(Path.Combine(interrupted.LastCheckpointDir()!, "model.bin"));
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.allclose(pb, rtol: 0, atol: 0), $"parameter {name} differs after resume");
    }

    [Fact]
    public void Train_LossTurnsNonFinite_StopsAndKeepsLastGoodCheckpoint()
    {
        using var set = new TinyDepthDataSet();
        var config = set.Config(epochs: 3);
        var data = DepthData.Load(config, TextWriter.Null);
        var run = new RunDirectory(set.NewRunDir());
        using (var stop = new CancellationTokenSource())
        {
            var first = new DepthTrainer(config, run, CPU, TextWriter.Null);
            first.EpochCompleted += _ => stop.Cancel();
            Assert.Throws<OperationCanceledException>(() => first.Train(data, resume: false, stop.Token));
        }
        var good = run.LastCheckpointDir()!;
        var error = Assert.Throws<TrainingDivergedException>(() => new DepthTrainer(config with { LearningRate = 1e38 }, run, CPU, TextWriter.Null).Train(data, resume: true));
        Assert.Contains("epoch 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(good, run.LastCheckpointDir());
    }

    [Fact]
    public void Run_ThinValMask_IsWarnedAbout_AndAFloorLiftsIt()
    {
        using var set = new TinyDepthDataSet();
        var config = set.Config(epochs: 1);
        long officialK = DepthData.Load(config, TextWriter.Null).EvalMask("val")!.PixelsPerBin;
        Assert.True(officialK < DepthTrainingRun.ThinMaskPixelsPerBin, $"the tiny set's deepest val bin should be thin (k = {officialK})");

        var official = new StringWriter();
        Assert.Equal(0, DepthTrainingRun.Execute(config, set.NewRunDir(), resume: false, "cpu", official));
        var floored = new StringWriter();
        Assert.Equal(0, DepthTrainingRun.Execute(config with { MaskMinBinPixels = DepthTrainingRun.ThinMaskPixelsPerBin }, set.NewRunDir(), resume: false, "cpu", floored));

        Assert.Contains($"Val balanced mask: {officialK:N0} pixels from each of", official.ToString(), StringComparison.Ordinal);
        Assert.Contains($"Warning: {officialK} val pixels per bin", official.ToString(), StringComparison.Ordinal);
        Assert.Contains($"bins under {DepthTrainingRun.ThinMaskPixelsPerBin} pixels left out", floored.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Warning:", floored.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_PrecisionAuto_RecordsWhatTheProbeChose_AResumeKeepsIt_AndAnOccupiedFolderIsRefusedFirst()
    {
        using var set = new TinyDepthDataSet();
        var config = set.Config(epochs: 1) with { Precision = PrecisionChoice.Auto };
        var runDir = set.NewRunDir();

        var first = new StringWriter();
        Assert.Equal(0, DepthTrainingRun.Execute(config, runDir, resume: false, "cpu", first));
        string chosen = DepthTrainingRun.ReadConfig(new RunDirectory(runDir)).Precision;
        var resumed = new StringWriter();
        Assert.Equal(0, DepthTrainingRun.Execute(config, runDir, resume: true, "cpu", resumed));
        var again = new StringWriter();
        var refused = Assert.Throws<ConfigurationException>(() => DepthTrainingRun.Execute(config, runDir, resume: false, "cpu", again));

        Assert.Contains(chosen, new[] { TrainingOptions.Fp32, TrainingOptions.Bf16 });
        Assert.Contains($"Precision: {chosen} (auto: ", first.ToString(), StringComparison.Ordinal);
        Assert.Contains($"Precision: {chosen} (auto: the run was started with {chosen})", resumed.ToString(), StringComparison.Ordinal);
        Assert.Contains("already holds a run", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Precision:", again.ToString(), StringComparison.Ordinal); // refused before the probe
    }

    [Theory]
    [InlineData("bni", true, "OfficialDepth", "fp32")]
    [InlineData("l1", true, "Dense", "bf16")]
    [InlineData("mse", false, "Dense", "bf16")]
    public void Train_EveryLossAndVariant_GivesFiniteLossesAndPicksTheBestValEpoch(string loss, bool conr, string variant, string precision)
    {
        using var set = new TinyDepthDataSet();
        var config = set.Config(epochs: 2, conr: conr, variant: variant, loss: loss) with { Precision = precision };
        var state = new DepthTrainer(config, new RunDirectory(set.NewRunDir()), CPU, TextWriter.Null).Train(DepthData.Load(config, TextWriter.Null), resume: false);
        Assert.All(state.History, h => Assert.True(double.IsFinite(h.TrainRegressionLoss) && double.IsFinite(h.TrainConRLoss) && double.IsFinite(h.ValRmse)));
        var best = state.History.MinBy(h => h.ValRmse)!;
        Assert.Equal(best.Epoch, state.BestEpoch);
        Assert.Equal(best.ValRmse, state.BestValue);
    }

    [Fact]
    public void Train_BalancedMse_WhoseLossIsNegative_IsNotMistakenForAnExplosion()
    {
        // Batch 2 gives 19 steps an epoch, past the guard's 20-step warm-up; BNI's loss sits below 0 from the start.
        using var set = new TinyDepthDataSet();
        var config = set.Config(epochs: 2, loss: "bni") with { BatchSize = 2 };
        var state = new DepthTrainer(config, new RunDirectory(set.NewRunDir()), CPU, TextWriter.Null).Train(DepthData.Load(config, TextWriter.Null), resume: false);
        Assert.Equal(2, state.CompletedEpochs);
        Assert.Equal(0.32, DepthTrainingTask.WatchedLoss(global::ConR.Training.Depth.Losses.DepthLossKind.Bni, -0.05, () => 0.3, 0.2, 0.1), 9);
        Assert.Equal(-0.05, DepthTrainingTask.WatchedLoss(global::ConR.Training.Depth.Losses.DepthLossKind.Mse, -0.05, () => 0.3, 0.2, 0.1), 9);
        Assert.True(double.IsNaN(DepthTrainingTask.WatchedLoss(global::ConR.Training.Depth.Losses.DepthLossKind.Bni, double.NaN, () => 0.3, 0.2, 0.1)));
    }

    [Fact]
    public void Train_TrainSplitSmallerThanABatch_IsRefusedBeforeAnyCheckpoint()
    {
        using var set = new TinyDepthDataSet();
        var config = set.Config(epochs: 1) with { BatchSize = 500 };
        var data = DepthData.Load(config, TextWriter.Null);
        var run = new RunDirectory(set.NewRunDir());

        var error = Assert.Throws<ConfigurationException>(() => new DepthTrainer(config, run, CPU, TextWriter.Null).Train(data, resume: false));

        Assert.Equal($"the train split has {data.Train.Length} scenes, fewer than --batch-size 500", error.Message);
        Assert.Null(run.LastCheckpointDir());
    }

    [Fact]
    public void Data_ShotsAndWeights_ComeFromTheTrainingPixels()
    {
        using var set = new TinyDepthDataSet();
        var config = set.Config() with { Reweight = "inverse" };
        var data = DepthData.Load(config, TextWriter.Null);
        long total = data.TrainPixelCounts.Sum();
        Assert.Equal(data.Train.Sum(s => (long)s.Depth.Count(d => d > 0)), total);
        // Pixel-weighted mean of the re-weighting is 1 (digest 2.1).
        double mean = data.TrainPixelCounts.Select((n, b) => n * (double)data.BinWeights[b]).Sum() / total;
        Assert.Equal(1.0, mean, 4);
        for (int b = 0; b < 100; b++)
        {
            var n = data.TrainPixelCounts[b];
            var expected = n > data.Thresholds.Many ? Shared.Metrics.Shot.Many : n < data.Thresholds.Few ? Shared.Metrics.Shot.Few : Shared.Metrics.Shot.Median;
            Assert.Equal(expected, data.Shots[b]);
        }
        var (truth, mask) = data.EvalTruth("val");
        Assert.Equal(truth.Sum(t => t.Length), mask.Length);
        Assert.Contains(true, mask);
    }

    [Fact]
    public void Cli_SynthTrainEvalExport_WorkEndToEnd()
    {
        var root = Path.Combine(Path.GetTempPath(), "conr-depthcli-" + Guid.NewGuid().ToString("N"));
        try
        {
            var synth = Path.Combine(root, "synth");
            var runDir = Path.Combine(root, "run");
            var repo = Path.Combine(root, "repo");
            Assert.Equal(0, Invoke($"synth-depth --out {synth} --count 40 --size 32x24 --seed 2"));
            Assert.Equal(0, Invoke($"train depth --data {synth} --train-csv synth_train.csv --val-csv synth_val.csv --test-csv synth_test.csv " +
                                   $"--img-size 32x24 --width 0.0625 --batch-size 8 --epochs 1 --workers 1 --conr --conr-variant Dense --out {runDir}"));
            foreach (var file in new[] { "eval-val.json", "eval-test.json", "eval-test.md", "loss-curves.png", "depth-panel-val.png" })
                Assert.True(File.Exists(Path.Combine(runDir, "reports", file)), file);
            using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "config.json"))))
                Assert.Equal("depth", config.RootElement.GetProperty("task").GetString());
            File.Delete(Path.Combine(runDir, "reports", "eval-test.json"));
            Assert.Equal(0, Invoke($"eval --run {runDir} --split test"));
            var official = ReadEvalMask(runDir);
            Assert.Equal(1, official.GetProperty("minBinPixels").GetInt64());
            Assert.Equal(0, official.GetProperty("leftOutBins").GetArrayLength());
            // A floor one above the official k leaves at least the thinnest bin out, and the report says which.
            long floor = official.GetProperty("pixelsPerBin").GetInt64() + 1;
            Assert.Equal(0, Invoke($"eval --run {runDir} --split test --mask-min-bin-pixels {floor}"));
            var floored = ReadEvalMask(runDir);
            Assert.Equal(floor, floored.GetProperty("minBinPixels").GetInt64());
            Assert.True(floored.GetProperty("pixelsPerBin").GetInt64() >= floor);
            Assert.NotEqual(0, floored.GetProperty("leftOutBins").GetArrayLength());
            Assert.Contains($"bins under {floor:N0} pixels left out", File.ReadAllText(Path.Combine(runDir, "reports", "eval-test.md")), StringComparison.Ordinal);
            Assert.Equal(0, Invoke($"export --run {runDir} --repo {repo} --name depth"));
            var card = Shared.ModelPackage.ModelCardSerializer.Deserialize(File.ReadAllText(Path.Combine(repo, "depth", "1", "model.json")), "model.json");
            Assert.Equal("depth", card.Task);
            Assert.Equal("metres", card.Units);
            Assert.Equal([-1, 1, 12, 16], card.Outputs[0].Shape);
            Assert.Equal("pixels", card.TrainHistogram.ThresholdUnit);
            Assert.NotEmpty(card.Calibration.Balanced.TestCoverage.Ranges);
            Assert.True(card.Calibration.Balanced.TestCoverage.Overall["0.9"] > 0);
            Assert.True(card.Calibration.Natural!.TestCoverage.ImportanceWeighted);
            Assert.NotNull(card.Calibration.Natural.TestCoverage.Shots);
            Assert.NotNull(card.Metrics.Extra!["test"]);
            Assert.True(File.Exists(Path.Combine(repo, "depth", "1", "model.onnx")));
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    [Theory]
    [InlineData("--loss huber", "mse, l1 or bni")]
    [InlineData("--conr-variant Dense", "--conr-variant only applies with --conr")]
    [InlineData("--conr --conr-variant Pixel", "OfficialDepth or Dense")]
    [InlineData("--img-size 64", "WIDTHxHEIGHT")]
    [InlineData("--lds --reweight none", "--lds")]
    [InlineData("--mask-min-bin-pixels 0", "--mask-min-bin-pixels must be at least 1")]
    public void Cli_FlagsThatDoNotFit_AreRefused(string flags, string hint)
    {
        var runDir = Path.Combine(Path.GetTempPath(), "conr-depthbad-" + Guid.NewGuid().ToString("N"));
        int code = CliInvocation.Run($"train depth --data /nonexistent --train-csv a.csv --val-csv b.csv --out {runDir} {flags}", out var error);
        Assert.Equal(2, code);
        Assert.Contains(hint, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(runDir));
    }

    [Fact]
    public void Cli_MaskFloorAboveEveryBin_IsAClearErrorNotACrash()
    {
        using var set = new TinyDepthDataSet();
        var runDir = Path.Combine(Path.GetTempPath(), "conr-depthfloor-" + Guid.NewGuid().ToString("N"));
        try
        {
            int code = CliInvocation.Run($"train depth --data {set.Root} --train-csv synth_train.csv --val-csv synth_val.csv --img-size 32x24 " +
                                         $"--width 0.0625 --epochs 1 --workers 1 --mask-min-bin-pixels 100000000 --out {runDir}", out var error);

            Assert.Equal(2, code);
            Assert.Contains("the val split has no balanced mask (--mask-min-bin-pixels 100000000)", error, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true);
        }
    }

    private static int Invoke(string args) => CliInvocation.Run(args, out _);

    private static JsonElement ReadEvalMask(string runDir)
    {
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "reports", "eval-test.json")));
        return report.RootElement.GetProperty("mask").Clone();
    }
}
