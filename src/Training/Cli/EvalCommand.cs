using System.CommandLine;
using ConR.Training.Age;
using ConR.Training.Age.Data;
using ConR.Training.Depth;
using ConR.Training.Depth.Data;
using ConR.Training.Engine;

namespace ConR.Training.Cli;

/// <summary>`conr-train eval --run RUNDIR --split val|test`.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var runOption = new Option<string>("--run") { Description = "Run folder written by `train`", Required = true };
        var split = new Option<string>("--split") { Description = "val | test", DefaultValueFactory = _ => "test" };
        var device = CommonOptions.Device();
        var maskMinBinPixels = new Option<long?>("--mask-min-bin-pixels")
        {
            Description = "Depth runs: score on a balanced mask without the 0.1 m bins under this many pixels instead of the run's own setting (1 = NYUD2-DIR's rule)",
        };
        var command = new Command("eval", "Print and save the DIR table of a run's best model (age: All/Many/Median/Few x MAE/MSE/GM; depth: RMSE, MAE, AbsRel, log10, delta on the balanced mask)") { runOption, split, maskMinBinPixels, device };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var run = new RunDirectory(parse.GetValue(runOption)!);
            if (!run.HasConfig) throw new ConfigurationException($"{run.Root} is not a run folder ({run.ConfigPath} is missing)");
            var splitName = parse.GetValue(split)!;
            if (splitName is not ("val" or "test")) throw new ConfigurationException($"--split must be val or test (got '{splitName}')");
            if (DepthTrainingRun.IsDepthRun(run))
            {
                // Depth runs declare "task": "depth"; age runs have no task field.
                var depthConfig = DepthTrainingRun.ReadConfig(run);
                if (parse.GetValue(maskMinBinPixels) is long floor)
                {
                    depthConfig = depthConfig with { MaskMinBinPixels = floor };
                    depthConfig.Validate();
                }
                var depthData = DepthData.Load(depthConfig, Console.Out, new HashSet<string> { "train", splitName });
                DepthEvaluation.Run(run, depthConfig, depthData, splitName, DeviceSelector.Select(parse.GetValue(device)!, Console.Out), Console.Out);
                return 0;
            }
            if (parse.GetValue(maskMinBinPixels) is not null) throw new ConfigurationException("--mask-min-bin-pixels applies to depth runs only");
            var config = AgeTrainConfig.Read(run.ConfigPath);
            config.Validate();
            var data = AgeData.Load(config, Console.Out, new HashSet<string> { "train", splitName });
            AgeEvaluation.Run(run, config, data, splitName, DeviceSelector.Select(parse.GetValue(device)!, Console.Out), Console.Out);
            return 0;
        }));
        return command;
    }
}
