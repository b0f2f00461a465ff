using ConR.Training.Age;
using ConR.Training.Engine;

namespace ConR.Training.Methods.Comparisons;

/// <summary>How `compare` runs its grid, beyond the cells themselves.</summary>
/// <param name="EqualImagePasses">Cells without ConR train for the ConR cells' backbone image-passes (<see cref="ComparisonRunner.EqualPassEpochs"/>).</param>
/// <param name="Lanes">Processes that train cells at the same time (each claims the next free cell); 1 = this process alone.</param>
/// <param name="Launcher">Starts the lanes (needed when <paramref name="Lanes"/> &gt; 1).</param>
/// <param name="Worker">This process is one lane of another invocation: it trains and leaves the table to that one.</param>
/// <param name="BetaWarmup">The ConR cells' warm-up when --beta-warmup was given; null: each ConR cell gets the default for its epochs.</param>
public sealed record ComparisonRunOptions(bool EqualImagePasses = false, int Lanes = 1, ILaneLauncher? Launcher = null, bool Worker = false, double? BetaWarmup = null);

/// <summary>The whole `compare` command: plan the grid, run what is missing, write the table and the chart.</summary>
public static class Comparison
{
    public const string LaneLogFolder = "lanes";

    public static int Execute(AgeTrainConfig common, IReadOnlyList<ComparisonMethod> methods, bool withAndWithoutConR, int seeds, string outDir,
        string deviceName, TextWriter log, ComparisonRunOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(common);
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(log);
        options ??= new ComparisonRunOptions();
        if (options.Lanes < 1) throw new ConfigurationException("--lanes must be at least 1");
        if (options.Lanes > 1 && options.Launcher is null) throw new ArgumentException("lanes need a launcher", nameof(options));
        var runner = new ComparisonRunner(outDir, deviceName, log);
        var cells = runner.Plan(common, methods, withAndWithoutConR, seeds, options.EqualImagePasses, options.BetaWarmup);
        log.WriteLine($"Comparison grid: {methods.Count} method(s) x {(withAndWithoutConR ? "without/with ConR" : "without ConR")} x {seeds} seed(s) = {cells.Count} runs in {runner.OutDir}");
        if (options.EqualImagePasses && withAndWithoutConR)
            log.WriteLine($"Equal image-passes: runs without ConR train {ComparisonRunner.EqualPassEpochs(common)} epochs, runs with ConR {common.Epochs} ({common.ConRStep} step).");
        if (options.Lanes > 1 && RunLanes(options, runner.OutDir, log, cancellation) is { } interrupted) return interrupted;

        // After the lanes this pass reuses what they finished (and trains anything a lane left behind).
        var outcomes = runner.Run(cells, cancellation);
        if (outcomes is null)
        {
            log.WriteLine("Interrupted. Finished runs are kept: rerun the same command to resume the grid where it stopped.");
            return 130;
        }
        if (options.Worker)
        {
            log.WriteLine($"Lane finished: {outcomes.Count(o => o.Status is CellStatus.Trained or CellStatus.Resumed)} run(s) trained here.");
            return 0;
        }
        var result = ComparisonReport.Build(common, methods, seeds, outcomes);
        ComparisonReport.Write(runner.OutDir, result, common);
        log.WriteLine(ComparisonReport.ToMarkdown(result, common));
        log.WriteLine($"Wrote {Path.Combine(runner.OutDir, ComparisonReport.MarkdownFile)}, {ComparisonReport.JsonFile} and {ComparisonReport.ChartFile}; " +
                      $"{outcomes.Count(o => o.Status == CellStatus.Reused)} run(s) reused, {outcomes.Count(o => o.Status == CellStatus.Failed)} failed.");
        int elsewhere = outcomes.Count(o => o.Status == CellStatus.Elsewhere);
        if (elsewhere > 0)
            log.WriteLine($"{elsewhere} run(s) are still being trained by other processes over this folder: rerun this command when they end for the full table.");
        return 0;
    }

    // Starts the lanes and waits for all of them; returns an exit code when interrupted, null when they ended.
    private static int? RunLanes(ComparisonRunOptions options, string outDir, TextWriter log, CancellationToken cancellation)
    {
        var logFolder = Path.Combine(outDir, LaneLogFolder);
        Directory.CreateDirectory(logFolder);
        var lanes = new List<LaneProcess>();
        try
        {
            for (int lane = 1; lane <= options.Lanes; lane++)
            {
                var logPath = Path.Combine(logFolder, $"lane-{lane}.log");
                var process = options.Launcher!.Start(lane, logPath);
                lanes.Add(process);
                log.WriteLine($"Lane {lane}: process {process.Process.Id}, log {logPath}");
            }
            for (int i = 0; i < lanes.Count; i++)
            {
                int code = lanes[i].WaitForExit(cancellation);
                log.WriteLine($"Lane {i + 1} ended with exit code {code}.");
            }
            return null;
        }
        catch (OperationCanceledException)
        {
            foreach (var lane in lanes) lane.Stop();
            log.WriteLine("Interrupted: the lanes were stopped. Finished runs are kept; rerun the same command to resume.");
            return 130;
        }
        finally
        {
            foreach (var lane in lanes) lane.Dispose();
        }
    }
}
