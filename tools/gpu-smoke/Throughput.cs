using System.Diagnostics;

namespace ConR.GpuSmoke;

/// <summary>Runs of one batch size: how many, how long in all.</summary>
internal sealed record Throughput(int Batch, int Runs, TimeSpan Elapsed)
{
    public double ImagesPerSecond => Batch * Runs / Elapsed.TotalSeconds;

    public double MillisecondsPerBatch => Elapsed.TotalMilliseconds / Runs;

    /// <summary>One untimed run (a new shape allocates and, on CUDA, picks kernels), then runs until both limits are met.</summary>
    public static Throughput Measure(Action run, int batch, TimeSpan duration, int minRuns)
    {
        run();
        var runs = 0;
        var watch = Stopwatch.StartNew();
        while (runs < minRuns || watch.Elapsed < duration)
        {
            run();
            runs++;
        }

        return new Throughput(batch, runs, watch.Elapsed);
    }
}
