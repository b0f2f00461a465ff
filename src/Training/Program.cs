using System.CommandLine;
using ConR.Training.Cli;

var train = new Command("train", "Train a model") { TrainAgeCommand.Create() };
var root = new RootCommand("conr-train: deep imbalanced regression with the ConR regularizer (TorchSharp)")
{
    train,
    EvalCommand.Create(),
    BenchCommand.Create(),
};
return root.Parse(args).Invoke();
