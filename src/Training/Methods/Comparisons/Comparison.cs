using ConR.Training.Age;


namespace ConR.Training.Methods.Comparisons;

/// <summary>The whole `compare` command: plan the grid, run what is missing, write the table and the chart.</summary>
public static class Comparison
{
    public static int Execute(AgeTrainConfig common, IReadOnlyList<ComparisonMethod> methods, bool withAndWithoutConR, int seeds, string outDir,
        string deviceName, TextWriter log, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(common);
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(log);
        var runner = new ComparisonRunner(outDir, deviceName, log);
        var cells = runner.Plan(common, methods, withAndWithoutConR, seeds);
        log.WriteLine($"Comparison grid: {methods.Count} method(s) x {(withAndWithoutConR ? "without/with ConR" : "without ConR")} x {seeds} seed(s) = {cells.Count} runs in {runner.OutDir}");
        var outcomes = runner.Run(cells, cancellation);
        if (outcomes is null)
        {
            log.WriteLine("Interrupted. Finished runs are kept: rerun the same command to resume the grid where it stopped.");
            return 130;
        }
        var result = ComparisonReport.Build(common, methods, seeds, outcomes);
        ComparisonReport.Write(runner.OutDir, result, common);
        log.WriteLine(ComparisonReport.ToMarkdown(result, common));
        log.WriteLine($"Wrote {Path.Combine(runner.OutDir, ComparisonReport.MarkdownFile)}, {ComparisonReport.JsonFile} and {ComparisonReport.ChartFile}; " +
                      $"{outcomes.Count(o => o.Status == CellStatus.Reused)} run(s) reused, {outcomes.Count(o => o.Status == CellStatus.Failed)} failed.");
        return 0;
    }
}
