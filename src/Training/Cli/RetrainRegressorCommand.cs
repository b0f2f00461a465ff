using System.CommandLine;
using ConR.Training.Age;
using ConR.Training.Engine;

namespace ConR.Training.Cli;

/// <summary>
/// `conr-train retrain-regressor --from RUNDIR --out DIR --reweight sqrt_inv [...]`: RRT with the base run's data and
/// model flags. Equivalent to `train age --rrt-from RUNDIR` with every flag the base run used, except the method
/// switches (ConR, FDS, RankSim are off; re-weighting or Balanced MSE is required) and the flags given here.
/// </summary>
internal static class RetrainRegressorCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "Trained age run whose best encoder is frozen", Required = true };
        var options = new AgeTrainOptions();
        var device = CommonOptions.Device();
        var output = new Option<string>("--out") { Description = "New run folder", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last checkpoint" };
        Option[] overrides =
        [
            options.Training.Reweight, options.Training.Lds, options.Training.LdsKernel, options.Training.LdsKs, options.Training.LdsSigma,
            options.Bmse, options.BmseImp, options.BmseSigma, options.BmseLearnSigma, options.BmseSigmaLr, options.GaiComponents, options.Loss,
            options.Training.Epochs, options.Training.BatchSize, options.Training.Lr, options.Training.Schedule, options.Training.Seed,
            options.Training.Workers, options.Training.Precision,
        ];
        var command = new Command("retrain-regressor", "RRT: retrain only the final linear layer of a trained age run, with re-weighting (or Balanced MSE)")
        {
            from, device, output, resume,
        };
        foreach (var option in overrides) command.Add(option);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            options.Training.RequireLdsSwitch(parse);
            CommonOptions.RequireGate(parse, options.Bmse, options.BmseImp, options.BmseSigma, options.BmseLearnSigma, options.BmseSigmaLr, options.GaiComponents);
            CommonOptions.RequireGate(parse, options.BmseLearnSigma, options.BmseSigmaLr);
            var baseRun = new RunDirectory(parse.GetValue(from)!);
            if (!baseRun.HasConfig) throw new ConfigurationException($"--from: {baseRun.Root} is not a run folder ({baseRun.ConfigPath} is missing)");
            var baseConfig = AgeTrainConfig.Read(baseRun.ConfigPath);
            T Pick<T>(Option<T> option, T inherited) => parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : inherited;
            bool bmse = parse.GetValue(options.Bmse);
            var config = baseConfig with
            {
                RrtFrom = baseRun.Root,
                // The encoder comes from the base run, whatever that run started from.
                Init = AgeTrainConfig.NoInit,
                ConR = false,
                Fds = false,
                RankSim = false,
                Reweight = parse.GetValue(options.Training.Reweight)!,
                Lds = parse.GetValue(options.Training.Lds),
                LdsKernel = parse.GetValue(options.Training.LdsKernel)!,
                LdsKernelSize = parse.GetValue(options.Training.LdsKs),
                LdsSigma = parse.GetValue(options.Training.LdsSigma),
                Bmse = bmse,
                BmseImp = parse.GetValue(options.BmseImp)!,
                BmseSigma = parse.GetValue(options.BmseSigma),
                BmseLearnSigma = parse.GetValue(options.BmseLearnSigma),
                BmseSigmaLr = parse.GetValue(options.BmseSigmaLr),
                GaiComponents = parse.GetValue(options.GaiComponents),
                Loss = Pick(options.Loss, bmse ? "mse" : baseConfig.Loss),
                Epochs = Pick(options.Training.Epochs, baseConfig.Epochs),
                BatchSize = Pick(options.Training.BatchSize, baseConfig.BatchSize),
                LearningRate = Pick(options.Training.Lr, baseConfig.LearningRate),
                Schedule = Pick(options.Training.Schedule, baseConfig.Schedule),
                Seed = Pick(options.Training.Seed, baseConfig.Seed),
                Workers = Pick(options.Training.Workers, baseConfig.Workers),
                Precision = Pick(options.Training.Precision, baseConfig.Precision),
            };
            return AgeTrainingRun.Execute(config, parse.GetValue(output)!, parse.GetValue(resume), parse.GetValue(device)!, Console.Out);
        }));
        return command;
    }
}
