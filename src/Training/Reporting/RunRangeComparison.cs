using System.Globalization;
using System.Text;
using System.Text.Json;
using ConR.Shared.Metrics;
using ConR.Training.Engine;

namespace ConR.Training.Reporting;

/// <summary>
/// Error by label range of several finished runs side by side (e.g. vanilla against ConR), read from their
/// <c>reports/eval-SPLIT.json</c>: a grouped bar chart and a Markdown table.
/// </summary>
public static class RunRangeComparison
{
    /// <summary>One run's per-range errors under a display name.</summary>
    public sealed record Series(string Name, IReadOnlyList<RangeError> Ranges);

    /// <summary>Reads <paramref name="runDir"/>/reports/eval-<paramref name="split"/>.json.</summary>
    /// <exception cref="FileNotFoundException">The run has no such report (not evaluated yet).</exception>
    public static Series Read(string runDir, string split, string name)
    {
        var path = Path.Combine(runDir, "reports", $"eval-{split}.json");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist: is the run finished and evaluated on {split}?", path);
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        if (!json.RootElement.TryGetProperty("ranges", out var ranges)) throw new InvalidDataException($"{path} has no per-range errors");
        var list = ranges.Deserialize<List<RangeError>>(RunDirectory.Json) ?? [];
        return new Series(name, list);
    }

    /// <summary>
    /// The ranges every series shares with at least <paramref name="minCount"/> samples (the same test split gives
    /// every run the same ranges and counts; different ones are refused).
    /// </summary>
    /// <exception cref="ArgumentException">No series, or series over different ranges or counts.</exception>
    public static IReadOnlyList<RangeError> SharedRanges(IReadOnlyList<Series> series, int minCount)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0) throw new ArgumentException("no runs to compare", nameof(series));
        var first = series[0].Ranges;
        foreach (var other in series.Skip(1))
        {
            bool same = other.Ranges.Count == first.Count &&
                        other.Ranges.Zip(first).All(p => p.First.From == p.Second.From && p.First.To == p.Second.To && p.First.Count == p.Second.Count);
            if (!same) throw new ArgumentException($"{other.Name} was evaluated on other ranges or samples than {series[0].Name}", nameof(series));
        }
        return first.Where(r => r.Count >= minCount).ToList();
    }

    /// <summary>Writes the grouped bar chart (one group per range, one bar per run) to <paramref name="pngPath"/>.</summary>
    public static void WriteChart(string pngPath, string title, IReadOnlyList<Series> series, int minCount, string unit)
    {
        var shared = SharedRanges(series, minCount);
        var categories = shared.Select(r => Label(r)).ToList();
        var values = series.Select(s => (s.Name, (IReadOnlyList<double>)shared.Select(r => Mae(s, r)).ToList())).ToList();
        RunPlots.WriteBarChart(pngPath, title, categories, values, $"MAE ({unit})");
    }

    /// <summary>A Markdown table: one row per range, one MAE column per run, and the count of samples.</summary>
    public static string ToMarkdown(IReadOnlyList<Series> series, int minCount)
    {
        var shared = SharedRanges(series, minCount);
        var text = new StringBuilder("| range | n |");
        foreach (var s in series) text.Append(' ').Append(s.Name).Append(" |");
        text.Append("\n|---|---:|").Append(string.Concat(Enumerable.Repeat("---:|", series.Count))).Append('\n');
        foreach (var r in shared)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {Label(r)} | {r.Count} |");
            foreach (var s in series) text.Append(CultureInfo.InvariantCulture, $" {Mae(s, r):F2} |");
            text.Append('\n');
        }
        return text.ToString();
    }

    // SharedRanges proved every series holds the same ranges, so a range is found by its start.
    private static double Mae(Series series, RangeError range) => series.Ranges.First(x => x.From == range.From).Mae;

    private static string Label(RangeError r) => string.Create(CultureInfo.InvariantCulture, $"{r.From:0.##}-{r.To:0.##}");
}
