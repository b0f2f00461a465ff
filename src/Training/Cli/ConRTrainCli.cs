using System.CommandLine;

namespace ConR.Training.Cli;

/// <summary>The command tree of conr-train, built in one place so tests can drive it.</summary>
public static class ConRTrainCli
{
    public static RootCommand Build()
    {
        var train = new Command("train", "Train a model") { TrainAgeCommand.Create() };
        train.Add(TrainDepthCommand.Create());
        return new RootCommand("conr-train: deep imbalanced regression with the ConR regularizer (TorchSharp)")
        {
            train,
            EvalCommand.Create(),
            ExportCommand.Create(),
            BenchCommand.Create(),
            CompareCommand.Create(),
            RetrainRegressorCommand.Create(),
            SynthDepthCommand.Create(),
            PlotRunsCommand.Create(),
            DepthPanelCommand.Create(),
        };
    }
}
