namespace ConR.Bench.Soak;

/// <summary>A soak target, judged.</summary>
internal sealed record SoakVerdict(string Target, string Measured, bool Pass);

/// <summary>What the soak measured, and its three targets judged.</summary>
internal sealed class SoakResult
{
    /// <summary>The good requests' p99 under the mixed traffic may be at most this many times its unloaded value.</summary>
    public const double MaxP99Ratio = 2;

    /// <summary>VmRSS after the idle period may exceed VmRSS before the soak by less than this, in MB.</summary>
    public const double MaxRssGrowthMb = 300;

    public required string Command { get; init; }

    public required SoakSettings Settings { get; init; }

    /// <summary>Gets every kind of request, in the report's order.</summary>
    public required IReadOnlyList<TrafficKind> Kinds { get; init; }

    /// <summary>Gets every answer of every phase (warm-up, unloaded, soak) by kind and status.</summary>
    public required SoakTally All { get; init; }

    public required SoakTally Unloaded { get; init; }

    public required double UnloadedWallSeconds { get; init; }

    public required SoakTally Soak { get; init; }

    public required double SoakWallSeconds { get; init; }

    public required TimeSpan StartToReady { get; init; }

    public required long RssReadyKb { get; init; }

    /// <summary>Gets VmRSS right after the unloaded phase: models loaded, warmed up and serving, before any hostile traffic.</summary>
    public required long RssBeforeKb { get; init; }

    public required long RssPeakSampleKb { get; init; }

    public required int RssSamples { get; init; }

    /// <summary>Gets VmHWM at the end of the soak (null if the process had exited).</summary>
    public required long? VmHwmKb { get; init; }

    /// <summary>Gets VmRSS after the idle period (null if the process had exited).</summary>
    public required long? RssAfterKb { get; init; }

    public required bool Alive { get; init; }

    public required long ServerLogLines { get; init; }

    /// <summary>Gets the server's error-level log entries by kind (see <see cref="ApiProcess.Errors"/>).</summary>
    public required IReadOnlyDictionary<string, long> ServerErrors { get; init; }

    /// <summary>Gets the server's last lines of output when it exited; otherwise null.</summary>
    public required string? ServerLogTail { get; init; }

    /// <summary>Gets the peak: the highest 1 s sample or the kernel's high-water mark, whichever is higher.</summary>
    public long RssPeakKb => Math.Max(RssPeakSampleKb, VmHwmKb ?? 0);

    public long FiveXx => All.Counts.Where(c => c.Key.Status >= 500).Sum(c => c.Value);

    public long Unexpected => All.Counts.Where(c => !c.Key.Kind.IsExpected(c.Key.Status)).Sum(c => c.Value);

    public double P99Ratio => Soak.Latency(null).P99 / Unloaded.Latency(null).P99;

    public double? RssGrowthMb => RssAfterKb is { } after ? (after - RssBeforeKb) / 1024.0 : null;

    public IReadOnlyList<SoakVerdict> Verdicts()
    {
        var unloaded = Unloaded.Latency(null);
        var soak = Soak.Latency(null);
        return
        [
            new SoakVerdict(
                "no 5xx",
                $"{FiveXx} of {All.Total} answers were 5xx{(Alive ? string.Empty : "; the service process EXITED")}",
                FiveXx == 0 && Alive),
            new SoakVerdict(
                $"good-request p99 under {MaxP99Ratio:F0}x its unloaded value",
                $"{Report.F(soak.P99, 1)} / {Report.F(unloaded.P99, 1)} ms = {Report.F(P99Ratio, 2)}x",
                P99Ratio < MaxP99Ratio),
            new SoakVerdict(
                $"RSS back within {MaxRssGrowthMb:F0} MB of the start",
                RssGrowthMb is { } growth
                    ? $"after - before = {ApiProcess.Mb(RssAfterKb!.Value)} - {ApiProcess.Mb(RssBeforeKb)} = {growth:+0.0;-0.0} MB"
                    : "not measured: the service process exited",
                RssGrowthMb < MaxRssGrowthMb),
        ];
    }
}
