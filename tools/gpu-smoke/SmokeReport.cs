using System.Globalization;

namespace ConR.GpuSmoke;

/// <summary>The results as Markdown tables, ready to paste into docs/results.md.</summary>
internal static class SmokeReport
{
    public static void Write(TextWriter output, IReadOnlyList<ModelSmokeResult> results)
    {
        output.WriteLine();
        output.WriteLine("| model | version | provider | parity vs CPU (max rel. diff, fixture batch) | verdict |");
        output.WriteLine("|---|---|---|---|---|");
        foreach (var r in results)
        {
            output.WriteLine(Invariant($"| {r.Name} | {r.Version} | {r.Provider} | {r.MaxRelativeDifference:0.00E+00} (batch {r.ParityBatch}) | {(r.ParityHolds ? "ok" : "FAILED")} (<= {Parity.Tolerance:0e0}) |"));
        }

        output.WriteLine();
        output.WriteLine("| model | provider | batch | runs | ms/batch | images/s |");
        output.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            foreach (var t in r.Throughput)
            {
                output.WriteLine(Invariant($"| {r.Name} | {r.Provider} | {t.Batch} | {t.Runs} | {t.MillisecondsPerBatch:F2} | {t.ImagesPerSecond:F1} |"));
            }

            foreach (var batch in r.Skipped)
            {
                output.WriteLine(Invariant($"| {r.Name} | {r.Provider} | {batch} | - | - | fixed batch 1 |"));
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
