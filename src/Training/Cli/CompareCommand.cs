using System.CommandLine;
using ConR.Training.Engine;
using ConR.Training.Methods.Comparisons;

namespace ConR.Training.Cli;

/// <summary>
/// `conr-train compare --task age --data D --csv C --methods vanilla,lds,fds,lds+fds,bmse,ranksim --with-and-without-conr
/// --seeds 2 --out DIR [--lanes 2] [--equal-image-passes] [common training flags]`: runs the grid into
/// DIR/&lt;method&gt;[+conr]-s&lt;seed&gt;/ (resumable, N runs at a time with --lanes N), then writes DIR/comparison.md,
/// DIR/comparison.json and DIR/few-shot-mae.png.
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
        var equalPasses = new Option<bool>("--equal-image-passes")
        {
            Description = "Train the runs without ConR for as many backbone image-passes as the ConR runs (epochs x 3 for the official step, x 2 for two-view) instead of the same epochs",
        };
        var lanes = new Option<int>(LaneArguments.LanesOption)
        {
            Description = "Train this many runs at a time, each in its own process with cores/lanes threads (unless OMP_NUM_THREADS is set); lane logs in OUT/lanes",
            DefaultValueFactory = _ => 1,
        };
        var worker = new Option<bool>(LaneArguments.WorkerOption) { Description = "Internal: this process is one lane of another compare", Hidden = true };
        var device = CommonOptions.Device();
        var options = new AgeTrainOptions();
        // The grid sets the method switches and the seed per run; they stay hidden and are refused if given.
        foreach (var option in options.Switches) option.Hidden = true;

        var command = new Command("compare", "Train a grid of DIR methods with and without ConR (resumable) and write the paper-style comparison table")
        {
            task, methods, both, seeds, output, device, equalPasses, lanes, worker,
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
            int laneCount = parse.GetValue(lanes);
            ILaneLauncher? launcher = null;
            if (laneCount > 1)
            {
                // Each lane is this same command line again, as a worker.
                var (fileName, prefix) = LaneArguments.Self();
                var arguments = prefix.Concat(LaneArguments.ForWorker(parse.Tokens.Select(t => t.Value).ToList())).ToList();
                launcher = new ProcessLaneLauncher(fileName, arguments, Math.Max(1, Environment.ProcessorCount / laneCount));
            }
            var run = new ComparisonRunOptions(parse.GetValue(equalPasses), laneCount, launcher, parse.GetValue(worker), parse.GetValue(options.BetaWarmup));
            return Comparison.Execute(common, methodList, parse.GetValue(both), parse.GetValue(seeds), parse.GetValue(output)!,
                parse.GetValue(device)!, Console.Out, run, cancellation);
        }));
        return command;
    }
}
