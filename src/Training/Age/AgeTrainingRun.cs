using ConR.Training.Age.Data;
using ConR.Training.Encoder.Pretrained;
using ConR.Training.Engine;
using ConR.Training.Reporting;

namespace ConR.Training.Age;

/// <summary>The whole `train age` command: validate, load data, train (or resume), then evaluate val and test.</summary>
public static class AgeTrainingRun
{
    public static int Execute(AgeTrainConfig config, string outDir, bool resume, string deviceName, TextWriter log, CancellationToken cancellation = default)
        => Execute(config, outDir, resume, deviceName, log, images: null, cancellation);

    // images: decoded images shared between the runs of one process (the comparison grid).
    public static int Execute(AgeTrainConfig config, string outDir, bool resume, string deviceName, TextWriter log, AgeImageCache? images, CancellationToken cancellation = default)
    {
        config.Validate();
        // The padding is recorded (config.json), as Read gives it to runs written before it was: resumes compare alike.
        config = config.WithRecordedCropPadding();
        if (config.RrtFrom is not null) CheckRrtBase(config, outDir);
        // Before any data loads: a missing weights file is a setup error, not something to find after minutes of decoding.
        if (config.Init == ImageNetResNet18.InitName) ImageNetResNet18.RequireFile(ImageNetResNet18.DefaultPath);
        var run = new RunDirectory(outDir);
        var device = DeviceSelector.Select(deviceName, log);
        // A new run's config.json is written only once its data has loaded, so a wrong --data leaves nothing behind
        // that would refuse the corrected command; a resumed run is checked against its config.json first.
        AgeData data;
        if (resume)
        {
            config = OpenRun(run, ResolvePrecision(config, run, resume, device, log), resume);
            data = AgeData.Load(config, log, cache: images);
        }
        else
        {
            TrainingCheckpoints.RefuseOccupied(run, resume);
            config = ResolvePrecision(config, run, resume, device, log);
            data = AgeData.Load(config, log, cache: images);
            config = OpenRun(run, config, resume);
        }
        log.WriteLine($"train {data.Train.Length}, val {data.Val.Length}, test {data.Test.Length} images; " +
                      $"{(config.ConR ? $"ConR on (w {config.Window}, beta {config.Beta}, tau {config.Temperature}, e {config.PushingScale})" : "ConR off")}");
        foreach (var line in MethodLines(config)) log.WriteLine(line);
        RunState<AgeEpochRecord> state;
        try
        {
            state = new AgeTrainer(config, run, device, log).Train(data, resume, cancellation);
        }
        catch (OperationCanceledException)
        {
            log.WriteLine();
            log.WriteLine($"Interrupted. The last complete epoch is checkpointed: continue with the same command plus --resume.");
            return 130;
        }

        Directory.CreateDirectory(run.ReportsDir);
        RunPlots.WriteLossCurves(Path.Combine(run.ReportsDir, "loss-curves.png"),
            state.History.Select(h => new EpochPoint(h.Epoch, h.TrainRegressionLoss, h.TrainConRLoss, h.ValMae)).ToList());
        AgeEvaluation.Run(run, config, data, "val", device, log);
        AgeEvaluation.Run(run, config, data, "test", device, log);
        log.WriteLine($"Done: {state.CompletedEpochs} epochs in {state.TotalTrainSeconds / 60:F1} min of training; " +
                      $"best val MAE {state.BestValue:F3} at epoch {state.BestEpoch}; {data.SkippedRows} rows skipped. Reports in {run.ReportsDir}");
        return 0;
    }

    private static AgeTrainConfig OpenRun(RunDirectory run, AgeTrainConfig config, bool resume) =>
        TrainingCheckpoints.OpenRun(run, config, resume, ReadConfig, (saved, given) => saved with { Workers = given.Workers });

    /// <summary>
    /// --precision auto becomes fp32 or bf16 before the run is opened (config.json records the choice); a resumed run
    /// keeps the precision it was started with.
    /// </summary>
    private static AgeTrainConfig ResolvePrecision(AgeTrainConfig config, RunDirectory run, bool resume, TorchSharp.torch.Device device, TextWriter log)
    {
        int views = ConRStepKinds.ViewsPerSample(config.ConR, config.ConRStepKind());
        string precision = PrecisionChoice.ForRun(
            config.Precision, () => resume && run.HasConfig ? ReadConfig(run).Precision : null, device.type == TorchSharp.DeviceType.CPU,
            bf16 => TrainingStepBenchmark.TimeSteps(config.ModelSpec(), config.BatchSize, views, steps: 3, conrOnly: false, bf16), log);
        return config with { Precision = precision };
    }

    /// <summary>One log line per optional method that is on (none for a plain run).</summary>
    public static IEnumerable<string> MethodLines(AgeTrainConfig config)
    {
        if (config.Init != AgeTrainConfig.NoInit) yield return $"Init: {config.Init} (encoder from ImageNet, stem folded to this run's input normalisation; regressor fresh)";
        if (config.Fds)
        {
            yield return $"FDS on: {config.FdsKernel} kernel {config.FdsKernelSize}/{config.FdsSigma}, buckets {config.FdsBucketStart}..{config.FdsBucketNum - 1}, " +
                         $"momentum {config.FdsMomentum}, clamp [{config.FdsClampLow}, {config.FdsClampHigh}], update from epoch {config.FdsStartUpdate + 1}, calibrate from epoch {config.FdsStartSmooth + 1}";
            if (config.FdsStartSmooth >= config.Epochs)
                yield return $"  note: --start-smooth {config.FdsStartSmooth} >= --epochs {config.Epochs}: no epoch will be calibrated";
        }
        if (config.Bmse)
        {
            yield return $"Balanced MSE on: {config.BmseImp.ToUpperInvariant()}{(config.GaiComponents is int k ? $" ({k} components)" : "")}, " +
                         $"noise sigma {config.BmseSigma} {(config.BmseLearnSigma ? $"learned (lr {config.BmseSigmaLr})" : "fixed")}";
        }
        if (config.RankSim) yield return $"RankSim on: gamma {config.RankSimGamma}, lambda {config.RankSimLambda}";
        if (config.RrtFrom is not null) yield return $"RRT: retraining the regressor of {config.RrtFrom} with --reweight {config.Reweight}{(config.Lds ? " + LDS" : "")}{(config.Bmse ? " + Balanced MSE" : "")}";
    }

    // The base run must exist, have a best model, and share the model's shape; its folder cannot be the new run's.
    private static void CheckRrtBase(AgeTrainConfig config, string outDir)
    {
        var baseRun = new RunDirectory(config.RrtFrom!);
        if (baseRun.Root == Path.GetFullPath(outDir)) throw new ConfigurationException("--rrt-from and --out must be different folders");
        if (!baseRun.HasConfig) throw new ConfigurationException($"--rrt-from: {baseRun.Root} is not a run folder ({baseRun.ConfigPath} is missing)");
        if (!File.Exists(baseRun.BestModelPath)) throw new ConfigurationException($"--rrt-from: {baseRun.Root} has no best checkpoint ({baseRun.BestModelPath} is missing)");
        var baseConfig = AgeTrainConfig.Read(baseRun.ConfigPath);
        if (baseConfig.ModelSpec() != config.ModelSpec())
            throw new ConfigurationException($"--rrt-from: the base run is --arch {baseConfig.Architecture} --width {baseConfig.Width} --img-size {baseConfig.ImageSize}; pass the same");
    }

    private static AgeTrainConfig ReadConfig(RunDirectory run)
    {
        var saved = AgeTrainConfig.Read(run.ConfigPath);
        saved.Validate();
        return saved;
    }
}
