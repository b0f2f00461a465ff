using ConR.Shared.Imbalance;
using ConR.Shared.Imbalance.Depth;

namespace ConR.Shared.Metrics.Depth;

/// <summary>
/// The NYUD2-DIR balanced test mask (docs/conr-digest.md §3.3): the same number of ground-truth pixels from every
/// depth bin from <c>firstBin</c> up, so "All" weighs every depth range equally.
/// </summary>
public static class BalancedDepthMask
{
    /// <summary>
    /// Bins every valid test pixel (finite depth &gt; 0, bin <see cref="DepthBins.BinOf"/>, so depths past the top
    /// edge fall into the last bin); k is the smallest non-zero count among bins ≥ <paramref name="firstBin"/>; then
    /// every such bin with pixels gets exactly k of them, drawn uniformly without replacement. Bins below
    /// <paramref name="firstBin"/> and invalid pixels are never selected.
    /// </summary>
    /// <remarks>
    /// Sampling is selection sampling (Knuth's Algorithm S) in pixel order with one <see cref="Random"/> seeded by
    /// <paramref name="seed"/>: the same maps and seed always give the same mask, and memory is the mask plus a
    /// counter per bin. It does not reproduce the official file's choice of pixels, only its construction.
    /// </remarks>
    /// <param name="truthMaps">Ground-truth depth in metres, every test map (e.g. 654 maps of 304 × 228).</param>
    /// <param name="bins">Depth bins (NYUD2: 100 of 0.1 m).</param>
    /// <param name="firstBin">Lowest sampled bin (NYUD2: 7).</param>
    /// <param name="seed">Seed of the sampling.</param>
    /// <returns>
    /// One flat mask over the maps concatenated in order: map m's pixel i is entry Σ_{j&lt;m} truthMaps[j].Length + i.
    /// </returns>
    /// <exception cref="ArgumentException">No valid pixel falls in a bin ≥ firstBin.</exception>
    public static bool[] Build(IReadOnlyList<float[]> truthMaps, LabelBins bins, int firstBin, int seed)
    {
        ArgumentNullException.ThrowIfNull(truthMaps);
        ArgumentNullException.ThrowIfNull(bins);
        ArgumentOutOfRangeException.ThrowIfNegative(firstBin);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstBin, bins.MaxBin);

        long totalLength = 0;
        var counts = new long[bins.Count];
        foreach (var map in truthMaps)
        {
            ArgumentNullException.ThrowIfNull(map, nameof(truthMaps));
            totalLength += map.Length;
            foreach (var depth in map)
            {
                if (IsValid(depth))
                {
                    counts[DepthBins.BinOf(bins, depth)]++;
                }
            }
        }

        if (totalLength > Array.MaxLength)
        {
            throw new ArgumentException($"{totalLength} pixels do not fit in one mask.", nameof(truthMaps));
        }

        var k = long.MaxValue;
        for (var b = firstBin; b < counts.Length; b++)
        {
            if (counts[b] > 0)
            {
                k = Math.Min(k, counts[b]);
            }
        }

        if (k == long.MaxValue)
        {
            throw new ArgumentException($"No valid test pixel lies in bin {firstBin} or above.", nameof(truthMaps));
        }

        // needed[b]: pixels bin b must still select; remaining[b]: its candidates not yet visited.
        var needed = new long[bins.Count];
        var remaining = counts;
        for (var b = firstBin; b < counts.Length; b++)
        {
            needed[b] = counts[b] > 0 ? k : 0;
        }

        var mask = new bool[totalLength];
        var rng = new Random(seed);
        var offset = 0;
        foreach (var map in truthMaps)
        {
            for (var i = 0; i < map.Length; i++)
            {
                var depth = map[i];
                if (!IsValid(depth))
                {
                    continue;
                }

                var b = DepthBins.BinOf(bins, depth);
                if (b < firstBin)
                {
                    continue;
                }

                // Select with probability needed / remaining: every k-subset of the bin is equally likely.
                if (needed[b] > 0 && rng.NextDouble() * remaining[b] < needed[b])
                {
                    mask[offset + i] = true;
                    needed[b]--;
                }

                remaining[b]--;
            }

            offset += map.Length;
        }

        return mask;
    }

    private static bool IsValid(float depth) => float.IsFinite(depth) && depth > 0;
}
