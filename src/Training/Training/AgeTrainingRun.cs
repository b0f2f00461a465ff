using ConR.Training.Evaluation;
using ConR.Training.Reporting;

namespace ConR.Training.Training;

/// <summary>The whole `train age` command: validate, load data, train (or resume), then evaluate val and test.</summary>
public static class AgeTrainingRun
{
    public static int Execute(AgeTrainConfig config, string outDir, bool resume, string deviceName, TextWriter log, CancellationToken cancellation = default)
    {
        config.Validate();
        var run = new RunDirectory(outDir);
        if (resume)
        {
            if (!run.HasConfig) throw new ConfigurationException($"--resume: {run.ConfigPath} does not exist");
            var saved = RunDirectory.ReadJson<AgeTrainConfig>(run.ConfigPath);
            saved.Validate();
            if (saved with { Workers = config.Workers } != config)
                throw new ConfigurationException($"--resume: the flags differ from the run's config.json; resume with the same flags (see {run.ConfigPath})");
            config = saved with { Workers = config.Workers };
        }
        else
        {
            if (run.HasConfig) throw new ConfigurationException($"{run.Root} already holds a run: pass --resume to continue it or choose another --out");
            Directory.CreateDirectory(run.Root);
            RunDirectory.WriteJsonAtomic(run.ConfigPath, config);
        }

        var device = DeviceSelector.Select(deviceName, log);
        var data = AgeData.Load(config, log);
        log.WriteLine($"train {data.Train.Length}, val {data.Val.Length}, test {data.Test.Length} images; " +
                      $"{(config.ConR ? $"ConR on (w {config.Window}, beta {config.Beta}, tau {config.Temperature}, e {config.PushingScale})" : "ConR off")}");
        RunState state;
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
                      $"best val MAE {state.BestValMae:F3} at epoch {state.BestEpoch}; {data.SkippedRows} rows skipped. Reports in {run.ReportsDir}");
        return 0;
    }
}
