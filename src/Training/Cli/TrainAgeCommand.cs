using System.CommandLine;
using ConR.Training.Age;

namespace ConR.Training.Cli;

/// <summary>`conr-train train age`: parses flags into an <see cref="AgeTrainConfig"/> and runs the trainer.</summary>
internal static class TrainAgeCommand
{
    public static Command Create()
    {
        var options = new AgeTrainOptions();
        var device = CommonOptions.Device();
        var output = new Option<string>("--out") { Description = "Run folder (checkpoints, reports)", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last checkpoint" };

        var command = new Command("age", "Train an age regressor on a DIR split file (AgeDB-DIR, IMDB-WIKI-DIR, UTKFace-DIR)");
        foreach (var option in options.All) command.Add(option);
        command.Add(device);
        command.Add(output);
        command.Add(resume);
        command.SetAction(parse => CommandRunner.RunInterruptible(cancellation =>
        {
            options.CheckGates(parse);
            var config = options.Build(parse);
            return AgeTrainingRun.Execute(config, parse.GetValue(output)!, parse.GetValue(resume), parse.GetValue(device)!, Console.Out, cancellation);
        }));
        return command;
    }
}
