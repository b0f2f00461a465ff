using System.Globalization;
using System.Text;
using ConR.Shared.Metrics;
using ConR.Training.Age;
using ConR.Training.Engine;
using ConR.Training.Reporting;

namespace ConR.Training.Methods.Comparisons;

/// <summary>Mean and spread of one metric over seeds; the per-seed values in seed order.</summary>
/// <param name="Mean">Mean over the seeds (NaN when a group is empty).</param>
/// <param name="Spread">Sample standard deviation over the seeds (0 with one seed).</param>
/// <param name="Values">One value per finished seed, in seed order.</param>
public sealed record MetricStat(double Mean, double Spread, IReadOnlyList<double> Values)
{
    public static MetricStat Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return new MetricStat(double.NaN, double.NaN, values);
        double mean = values.Average();
        double spread = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return new MetricStat(mean, spread, values);
    }
}

/// <summary>MAE and GM of one shot group.</summary>
public sealed record ShotStat(MetricStat Mae, MetricStat Gm);

/// <summary>One row of the table: a method with or without ConR, over its seeds.</summary>
public sealed record ComparisonRow(string Method, bool ConR, IReadOnlyList<string> Runs, ShotStat All, ShotStat Many, ShotStat Median, ShotStat Few);

/// <summary>ConR's change to a method's mean (with ConR minus without; negative = lower error).</summary>
public sealed record ShotDelta(double Mae, double Gm);

public sealed record ConRDelta(string Method, ShotDelta All, ShotDelta Many, ShotDelta Median, ShotDelta Few);

public sealed record RunEntry(string Folder, string Method, bool ConR, int Seed, string Status, string? Error);

/// <summary>Everything comparison.json holds.</summary>
public sealed record ComparisonResult(
    string Task, string Data, string Csv, IReadOnlyList<int> Seeds, IReadOnlyList<string> Methods, string Split,
    IReadOnlyList<ComparisonRow> Rows, IReadOnlyList<ConRDelta> ConRDeltas, IReadOnlyList<RunEntry> Runs)
{
    /// <summary>Gets the epochs of the runs without ConR when they differ from the common --epochs (equal image-passes).</summary>
    public int? EpochsWithoutConR { get; init; }

    /// <summary>The ConR cells' beta warm-up in epochs (null when the grid has no ConR cell).</summary>
    public double? ConRBetaWarmupEpochs { get; init; }
}

/// <summary>The paper-style table of a finished grid: Markdown, JSON and the Few-shot MAE bar chart.</summary>
public static class ComparisonReport
{
    public const string MarkdownFile = "comparison.md", JsonFile = "comparison.json", ChartFile = "few-shot-mae.png";

    public static ComparisonResult Build(AgeTrainConfig common, IReadOnlyList<ComparisonMethod> methods, int seeds, IReadOnlyList<CellOutcome> outcomes)
    {
        var rows = new List<ComparisonRow>();
        var deltas = new List<ConRDelta>();
        foreach (var method in methods)
        {
            ComparisonRow? plain = null;
            foreach (var conr in new[] { false, true })
            {
                var cells = outcomes.Where(o => o.Cell.Method.Name == method.Name && o.Cell.ConR == conr).OrderBy(o => o.Cell.Seed).ToList();
                if (cells.Count == 0) continue;
                var tables = cells.Where(o => o.Test is not null).Select(o => o.Test!).ToList();
                ShotStat Stat(Func<DirTable, ErrorSummary> pick) =>
                    new(MetricStat.Of(tables.Select(t => pick(t).Mae).ToList()), MetricStat.Of(tables.Select(t => pick(t).Gm).ToList()));
                var row = new ComparisonRow(method.Name, conr, cells.Where(o => o.Test is not null).Select(o => Path.GetFileName(o.Cell.Folder)).ToList(),
                    Stat(t => t.All), Stat(t => t.Many), Stat(t => t.Median), Stat(t => t.Few));
                rows.Add(row);
                if (!conr) plain = row;
                else if (plain is not null)
                {
                    static ShotDelta Delta(ShotStat with, ShotStat without) => new(with.Mae.Mean - without.Mae.Mean, with.Gm.Mean - without.Gm.Mean);
                    deltas.Add(new ConRDelta(method.Name, Delta(row.All, plain.All), Delta(row.Many, plain.Many), Delta(row.Median, plain.Median), Delta(row.Few, plain.Few)));
                }
            }
        }
        var runs = outcomes.Select(o => new RunEntry(Path.GetFileName(o.Cell.Folder), o.Cell.Method.Name, o.Cell.ConR, o.Cell.Seed,
            o.Status.ToString().ToLowerInvariant(), o.Error)).ToList();
        int? plainEpochs = outcomes.Where(o => !o.Cell.ConR).Select(o => (int?)o.Cell.Config.Epochs).FirstOrDefault();
        double? warmup = outcomes.Where(o => o.Cell.ConR).Select(o => (double?)o.Cell.Config.BetaWarmupEpochs).FirstOrDefault();
        return new ComparisonResult("age", common.DataDir, common.CsvPath, Enumerable.Range(1, seeds).ToList(), methods.Select(m => m.Name).ToList(),
            "test", rows, deltas, runs)
        {
            EpochsWithoutConR = plainEpochs is int e && e != common.Epochs ? e : null,
            ConRBetaWarmupEpochs = warmup,
        };
    }

    /// <summary>Writes comparison.json, comparison.md and few-shot-mae.png into <paramref name="outDir"/>.</summary>
    public static void Write(string outDir, ComparisonResult result, AgeTrainConfig common)
    {
        Directory.CreateDirectory(outDir);
        RunDirectory.WriteJsonAtomic(Path.Combine(outDir, JsonFile), result);
        var markdown = ToMarkdown(result, common);
        File.WriteAllText(Path.Combine(outDir, MarkdownFile) + ".tmp", markdown);
        File.Move(Path.Combine(outDir, MarkdownFile) + ".tmp", Path.Combine(outDir, MarkdownFile), overwrite: true);
        WriteChart(Path.Combine(outDir, ChartFile), result);
    }

    public static string ToMarkdown(ComparisonResult result, AgeTrainConfig common)
    {
        var text = new StringBuilder();
        int seeds = result.Seeds.Count;
        text.Append("# Comparison: ").Append(result.Task).Append(", ").Append(Path.GetFileName(result.Csv)).Append('\n').Append('\n');
        text.Append(CultureInfo.InvariantCulture,
            $"Test split, best-on-val checkpoint of each run. Common flags: --arch {common.Architecture} --width {common.Width} --img-size {common.ImageSize} " +
            $"--epochs {common.Epochs} --batch-size {common.BatchSize} --lr {common.LearningRate} --schedule {common.Schedule} --loss {common.Loss}" +
            $"{(common.LimitTrain is int limit ? $" --limit-train {limit}" : "")}{(common.Init == AgeTrainConfig.NoInit ? "" : $" --init {common.Init}")}; " +
            $"ConR --w {common.Window} --beta {common.Beta} --tau {common.Temperature} --e {common.PushingScale} --conr-step {common.ConRStep}" +
            $"{(result.ConRBetaWarmupEpochs is double warmup ? $" --beta-warmup {warmup.ToString(CultureInfo.InvariantCulture)}" : "")}. ");
        if (result.EpochsWithoutConR is int plainEpochs)
            text.Append(CultureInfo.InvariantCulture, $"Runs without ConR train {plainEpochs} epochs: as many backbone image-passes as the ConR runs' {common.Epochs}. ");
        text.Append(seeds > 1
            ? $"Cells: mean ± sample standard deviation over {seeds} seeds ({string.Join(", ", result.Seeds)}). "
            : "Cells: one seed. ");
        text.Append("**Δ ConR** rows: ConR's change to the method's mean (negative = lower error = better). ");
        text.Append("\"-\": no test sample in that shot group.\n\n");
        text.Append("| Method | MAE All | MAE Many | MAE Median | MAE Few | GM All | GM Many | GM Median | GM Few |\n");
        text.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var row in result.Rows)
        {
            var shots = new[] { row.All, row.Many, row.Median, row.Few };
            text.Append("| ").Append(row.Method).Append(row.ConR ? " + ConR" : "");
            foreach (var shot in shots) text.Append(" | ").Append(Cell(shot.Mae, seeds));
            foreach (var shot in shots) text.Append(" | ").Append(Cell(shot.Gm, seeds));
            text.Append(" |\n");
            if (row.ConR && result.ConRDeltas.FirstOrDefault(d => d.Method == row.Method) is { } delta)
            {
                var d = new[] { delta.All, delta.Many, delta.Median, delta.Few };
                text.Append("| Δ ConR");
                foreach (var shot in d) text.Append(" | ").Append(Delta(shot.Mae));
                foreach (var shot in d) text.Append(" | ").Append(Delta(shot.Gm));
                text.Append(" |\n");
            }
        }
        text.Append("\n## Runs\n\n| Run | Status |\n|---|---|\n");
        foreach (var run in result.Runs)
        {
            text.Append("| ").Append(run.Folder).Append(" | ").Append(run.Status).Append(run.Error is null ? "" : $": {run.Error}").Append(" |\n");
        }
        return text.ToString();
    }

    private static void WriteChart(string path, ComparisonResult result)
    {
        var methods = result.Methods;
        var series = new List<(string, IReadOnlyList<double>)>();
        foreach (var (conr, label) in new[] { (false, "without ConR"), (true, "with ConR") })
        {
            var rows = methods.Select(m => result.Rows.FirstOrDefault(r => r.Method == m && r.ConR == conr)).ToList();
            if (rows.All(r => r is null)) continue;
            series.Add((label, rows.Select(r => r?.Few.Mae.Mean ?? double.NaN).ToList()));
        }
        RunPlots.WriteBarChart(path, "Few-shot MAE (test) per method", methods, series, "MAE (years)");
    }

    private static string Cell(MetricStat stat, int seeds)
    {
        if (!double.IsFinite(stat.Mean)) return "-";
        var mean = stat.Mean.ToString("F2", CultureInfo.InvariantCulture);
        return seeds > 1 && stat.Values.Count > 1 ? $"{mean} ± {stat.Spread.ToString("F2", CultureInfo.InvariantCulture)}" : mean;
    }

    private static string Delta(double value) =>
        double.IsFinite(value) ? $"**{(value > 0 ? "+" : "")}{value.ToString("F2", CultureInfo.InvariantCulture)}**" : "-";
}
