using System.Diagnostics;

namespace ConR.Bench.Soak;

/// <summary>Reads the service's VmRSS every second while the soak runs: the highest sample, and a progress line every 30 s.</summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(30);

    private readonly ApiProcess api;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    private RssSampler(ApiProcess api)
    {
        this.api = api;
        loop = Task.Run(() => SampleAsync(stop.Token));
    }

    /// <summary>Gets the highest VmRSS sampled, in kB.</summary>
    public long PeakKb { get; private set; }

    public int Samples { get; private set; }

    public static RssSampler Start(ApiProcess api) => new(api);

    /// <summary>Stops sampling; after this, <see cref="PeakKb"/> and <see cref="Samples"/> are final.</summary>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var nextProgress = ProgressEvery;
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken) && !api.HasExited)
            {
                var rss = api.VmRssKb();
                PeakKb = Math.Max(PeakKb, rss);
                Samples++;
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (elapsed >= nextProgress)
                {
                    Console.WriteLine($"  [soak] {elapsed.TotalSeconds:F0} s: VmRSS {ApiProcess.Mb(rss)}, highest so far {ApiProcess.Mb(PeakKb)}");
                    nextProgress += ProgressEvery;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // /proc/PID is gone or has no VmRSS: the process exited; the soak reports that.
        }
    }
}
