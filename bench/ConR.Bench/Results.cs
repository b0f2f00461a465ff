using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ConR.Bench;

/// <summary>One timed cell of the table.</summary>
/// <param name="Part">"1 ORT", "2 pipeline", "3 service", "4 service, no batching", ...</param>
/// <param name="What">What ran, e.g. "batch 8" or "concurrency 32".</param>
/// <param name="ImagesPerSecond">Images (= requests for the service) completed per second.</param>
/// <param name="Latency">Per-run or per-request latency; null where it means nothing (pipeline throughput).</param>
/// <param name="Count">Runs or requests timed.</param>
/// <param name="Errors">Requests that did not answer 200.</param>
/// <param name="Note">Extra detail, e.g. the mean batch size.</param>
internal sealed record Cell(string Part, string What, double ImagesPerSecond, LatencyStats? Latency, long Count, long Errors = 0, string Note = "")
{
    /// <summary>Gets the CPU time of this whole process (bench, client and in-process service) per image, in ms.</summary>
    public double CpuMsPerImage { get; init; } = double.NaN;

    /// <summary>Gets the share of all cores this process used while the cell ran, 0 to 1.</summary>
    public double CpuUse { get; init; } = double.NaN;

    /// <summary>Gets the bytes this whole process allocated on the managed heap per image, in KB.</summary>
    public double AllocatedKbPerImage { get; init; } = double.NaN;

    public Cell WithCpu(CpuSample sample, long images) => this with
    {
        CpuMsPerImage = images > 0 ? sample.CpuSeconds * 1000 / images : double.NaN,
        CpuUse = sample.Utilization,
        AllocatedKbPerImage = images > 0 ? sample.AllocatedBytes / 1024.0 / images : double.NaN,
    };
}

/// <summary>Process CPU time and wall time between two points.</summary>
internal readonly record struct CpuSample(double CpuSeconds, double WallSeconds, long AllocatedBytes)
{
    public double Utilization => CpuSeconds / WallSeconds / Environment.ProcessorCount;

    public static (TimeSpan Cpu, long Timestamp, long Allocated) Mark()
    {
        using var process = Process.GetCurrentProcess();
        return (process.TotalProcessorTime, Stopwatch.GetTimestamp(), GC.GetTotalAllocatedBytes(precise: false));
    }

    public static CpuSample Since((TimeSpan Cpu, long Timestamp, long Allocated) mark)
    {
        var now = Mark();
        return new CpuSample((now.Cpu - mark.Cpu).TotalSeconds, (double)(now.Timestamp - mark.Timestamp) / Stopwatch.Frequency, now.Allocated - mark.Allocated);
    }
}

/// <summary>Percentiles of a set of latencies, in milliseconds.</summary>
internal sealed record LatencyStats(double P50, double P95, double P99, double Mean, int Count)
{
    public static LatencyStats FromTicks(IEnumerable<long> stopwatchTicks)
    {
        var ms = stopwatchTicks.Select(t => t * 1000.0 / Stopwatch.Frequency).ToArray();
        return FromMilliseconds(ms);
    }

    public static LatencyStats FromMilliseconds(double[] ms)
    {
        if (ms.Length == 0)
        {
            return new LatencyStats(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }

        Array.Sort(ms);
        return new LatencyStats(Percentile(ms, 0.50), Percentile(ms, 0.95), Percentile(ms, 0.99), ms.Average(), ms.Length);
    }

    // Nearest rank on sorted data.
    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>A target of the issue, measured.</summary>
internal sealed record TargetCheck(string Target, string Measured, string Goal, bool? Met);

/// <summary>Collects cells as they finish (printing each), then renders the Markdown report.</summary>
internal sealed class Report
{
    private readonly List<Cell> cells = [];
    private readonly List<TargetCheck> targets = [];
    private readonly List<(string Name, string Value)> memory = [];
    private readonly List<string> notes = [];
    private readonly List<PairedRound> rounds = [];
    private readonly List<string> sections = [];

    public IReadOnlyList<Cell> Cells => cells;

    public IReadOnlyList<PairedRound> Rounds => rounds;

    public List<(string Name, string Value)> Context { get; } = [];

    public void Add(Cell cell)
    {
        cells.Add(cell);
        var latency = cell.Latency is { Count: > 0 } l ? $"p50 {F(l.P50, 2)} ms, p95 {F(l.P95, 2)} ms" : string.Empty;
        var errors = cell.Errors > 0 ? $", {cell.Errors} errors" : string.Empty;
        var cpu = double.IsNaN(cell.CpuMsPerImage) ? string.Empty : $", CPU {F(cell.CpuMsPerImage, 2)} ms/image at {F(100 * cell.CpuUse, 0)} % of cores, {F(cell.AllocatedKbPerImage, 1)} KB allocated/image";
        Console.WriteLine($"  [{cell.Part}] {cell.What}: {F(cell.ImagesPerSecond, 1)} images/s {latency}{errors}{cpu} {cell.Note}".TrimEnd());
    }

    public void AddRounds(IEnumerable<PairedRound> measured) => rounds.AddRange(measured);

    public void AddTarget(TargetCheck target) => targets.Add(target);

    public void AddMemory(string name, string value)
    {
        memory.Add((name, value));
        Console.WriteLine($"  [memory] {name}: {value}");
    }

    /// <summary>Adds a section written by a part itself (the soak), Markdown starting with its ### heading.</summary>
    public void AddSection(string markdown) => sections.Add(markdown);

    public void AddNote(string note)
    {
        notes.Add(note);
        Console.WriteLine($"  note: {note}");
    }

    public Cell? Find(string part, string what) => cells.FirstOrDefault(c => c.Part == part && c.What == what);

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("### Configuration").AppendLine();
        foreach (var (name, value) in Context)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {name}: {value}");
        }

        if (cells.Count > 0)
        {
            md.AppendLine().AppendLine("### Throughput and latency").AppendLine();
            md.AppendLine("| part | cell | images/s | p50 ms | p95 ms | p99 ms | CPU ms/image | CPU use | KB alloc/image | timed | errors | note |");
            md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var c in cells)
            {
                var l = c.Latency;
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {c.Part} | {c.What} | {F(c.ImagesPerSecond, 1)} | {F(l?.P50, 2)} | {F(l?.P95, 2)} | {F(l?.P99, 2)} | {F(c.CpuMsPerImage, 2)} | {(double.IsNaN(c.CpuUse) ? "-" : F(100 * c.CpuUse, 0) + " %")} | {F(c.AllocatedKbPerImage, 1)} | {c.Count} | {c.Errors} | {c.Note} |");
            }
        }

        if (rounds.Count > 0)
        {
            md.AppendLine().AppendLine("### Interleaved rounds (the throughput targets)").AppendLine();
            md.AppendLine("| round | pipeline limit, images/s | service, images/s | batching off, images/s | service / limit | batching gain |");
            md.AppendLine("|---:|---:|---:|---:|---:|---:|");
            foreach (var r in rounds)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {r.Round} | {F(r.Limit, 1)} | {F(r.Batched, 1)} | {F(r.Unbatched, 1)} | {F(100 * r.ServiceShare, 1)} % | {F(r.BatchingGain, 2)}x |");
            }
        }

        if (targets.Count > 0)
        {
            md.AppendLine().AppendLine("### Targets").AppendLine();
            md.AppendLine("| target | measured | goal | met |");
            md.AppendLine("|---|---:|---|---|");
            foreach (var t in targets)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {t.Target} | {t.Measured} | {t.Goal} | {(t.Met is null ? "n/a" : t.Met.Value ? "yes" : "**no**")} |");
            }
        }

        if (memory.Count > 0)
        {
            md.AppendLine().AppendLine("### Idle memory (separate ConR.Api process)").AppendLine();
            md.AppendLine("| what | value |");
            md.AppendLine("|---|---:|");
            foreach (var (name, value) in memory)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value} |");
            }
        }

        foreach (var section in sections)
        {
            md.AppendLine().Append(section);
        }

        if (notes.Count > 0)
        {
            md.AppendLine().AppendLine("### Notes").AppendLine();
            foreach (var note in notes)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }

        return md.ToString();
    }

    public static string F(double? value, int digits) =>
        value is null || double.IsNaN(value.Value) ? "-" : value.Value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
