using System.CommandLine;
using ConR.Training.Age;

namespace ConR.Training.Cli;

/// <summary>`conr-train bench`: timing tables (never asserted in tests).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { DefaultValueFactory = _ => "resnet18" };
        var width = new Option<double>("--width") { DefaultValueFactory = _ => 0.5 };
        var imgSize = new Option<int>("--img-size") { DefaultValueFactory = _ => 64 };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => 64 };
        var steps = new Option<int>("--steps") { Description = "Timed steps per configuration (after 2 warm-up steps)", DefaultValueFactory = _ => 10 };
        var command = new Command("bench", "Training step time with and without ConR, and the share of the ConR loss itself")
        {
            arch, width, imgSize, batchSize, steps,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            TrainingStepBenchmark.Run(parse.GetValue(arch)!, parse.GetValue(width), parse.GetValue(imgSize), parse.GetValue(batchSize), parse.GetValue(steps), Console.Out);
            return 0;
        }));
        return command;
    }
}
