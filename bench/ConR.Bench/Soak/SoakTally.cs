using System.Diagnostics;

namespace ConR.Bench.Soak;

/// <summary>
/// Answers counted by kind and status, and the latencies of the good requests that answered 200. One per client (no
/// locking on the request path), merged when the clients are done.
/// </summary>
internal sealed class SoakTally
{
    private readonly Dictionary<(TrafficKind Kind, int Status), long> counts = [];
    private readonly Dictionary<TrafficKind, List<double>> latencies = [];

    public IReadOnlyDictionary<(TrafficKind Kind, int Status), long> Counts => counts;

    public long Total => counts.Values.Sum();

    public static SoakTally Merge(IEnumerable<SoakTally> tallies)
    {
        var merged = new SoakTally();
        foreach (var tally in tallies)
        {
            foreach (var (key, count) in tally.counts)
            {
                merged.counts[key] = merged.counts.GetValueOrDefault(key) + count;
            }

            foreach (var (kind, values) in tally.latencies)
            {
                merged.LatencyList(kind).AddRange(values);
            }
        }

        return merged;
    }

    /// <summary>Counts one answer; a good request's 200 also records its latency, from <paramref name="startedAt"/> (a Stopwatch timestamp) to now.</summary>
    public void Add(TrafficKind kind, int status, long startedAt)
    {
        counts[(kind, status)] = counts.GetValueOrDefault((kind, status)) + 1;
        if (kind.Group == TrafficKind.Good && status == 200)
        {
            LatencyList(kind).Add(Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds);
        }
    }

    public long Count(TrafficKind kind, int status) => counts.GetValueOrDefault((kind, status));

    /// <summary>The good requests' latencies, in ms: of one kind, or of all good kinds when <paramref name="kind"/> is null.</summary>
    public LatencyStats Latency(TrafficKind? kind) =>
        LatencyStats.FromMilliseconds([.. latencies.Where(l => kind is null || l.Key == kind).SelectMany(l => l.Value)]);

    private List<double> LatencyList(TrafficKind kind)
    {
        if (!latencies.TryGetValue(kind, out var list))
        {
            latencies[kind] = list = new List<double>(16 * 1024);
        }

        return list;
    }
}
