using System.CommandLine;
using ConR.Training.Engine;
using ConR.Training.Methods.Comparisons;

namespace ConR.Training.Cli;

/// <summary>
/// `conr-train compare --task age --data D --csv C --methods vanilla,lds,fds,lds+fds,bmse,ranksim --with-and-without-conr
/// --seeds 2 --out DIR [common training flags]`: runs the grid into DIR/&lt;method&gt;[+conr]-s&lt;seed&gt;/ (resumable), then
/// writes DIR/comparison.md, DIR/comparison.json and DIR/few-shot-mae.png.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var task = new Option<string>("--task") { Description = "age (the only task the harness runs so far)", DefaultValueFactory = _ => "age" };
        var methods = new Option<string>("--methods")
        {
            Description = "Comma-separated methods; parts joined with +: vanilla, sqinv, inv, lds, fds, bmse (=bni), bmc, bni, gai, ranksim, focal",
            DefaultValueFactory = _ => "vanilla,lds,fds,lds+fds,bmse,ranksim",
        };
        var both = new Option<bool>("--with-and-without-conr") { Description = "Run every method twice, without and with ConR, and report ConR's delta" };
        var seeds = new Option<int>("--seeds") { Description = "Seeds 1..N per cell", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Comparison folder (one run folder per cell, the table, the chart)", Required = true };
        var device = CommonOptions.Device();
        var options = new AgeTrainOptions();
        // The grid sets the method switches and the seed per run; they stay hidden and are refused if given.
        foreach (var option in options.Switches) option.Hidden = true;

        var command = new Command("compare", "Train a grid of DIR methods with and without ConR (resumable) and write the paper-style comparison table")
        {
            task, methods, both, seeds, output, device,
        };
        foreach (var option in options.All) command.Add(option);
        command.SetAction(parse => CommandRunner.RunInterruptible(cancellation =>
        {
            if (parse.GetValue(task) != "age") throw new ConfigurationException($"--task {parse.GetValue(task)}: the comparison harness runs age tasks only");
            var given = options.Switches.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            if (given.Count > 0)
                throw new ConfigurationException($"{string.Join(", ", given)}: compare sets the methods and seeds per run; use --methods, --with-and-without-conr and --seeds");
            var methodList = ComparisonMethod.ParseList(parse.GetValue(methods)!);
            var common = options.Build(parse);
            return Comparison.Execute(common, methodList, parse.GetValue(both), parse.GetValue(seeds), parse.GetValue(output)!,
                parse.GetValue(device)!, Console.Out, cancellation);
        }));
        return command;
    }
}
