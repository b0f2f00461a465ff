using ConR.Shared.Imbalance;
using ConR.Shared.Imbalance.Depth;

namespace ConR.Shared.Metrics.Depth;

/// <summary>
/// The NYUD2-DIR balanced test mask (docs/conr-digest.md §3.3): the same number of ground-truth pixels from every
/// depth bin from <c>firstBin</c> up, so "All" weighs every depth range equally.
/// </summary>
public static class BalancedDepthMask
{
    /// <summary>The official rule: every non-empty bin takes part, however few pixels it holds.</summary>
    public const long OfficialMinBinPixels = 1;

    /// <summary>
    /// Bins every valid test pixel (finite depth &gt; 0, bin <see cref="DepthBins.BinOf"/>, so depths past the top
    /// edge fall into the last bin); the sampled bins are those ≥ <paramref name="firstBin"/> holding at least
    /// <paramref name="minBinPixels"/> pixels; k is the smallest count among them; every sampled bin gets exactly k
    /// pixels, drawn uniformly without replacement. Bins below <paramref name="firstBin"/>, left-out bins and invalid
    /// pixels are never selected.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <paramref name="minBinPixels"/> = 1 is NYUD2-DIR's rule. A split whose deepest bins hold a handful of pixels
    /// makes that rule score a handful of pixels per bin (SynthDepth-DIR's 2,000 val scenes: one pixel per bin, 81 in
    /// all), so val selection and test numbers become noise; a floor such as 1,000 keeps k large and names the bins
    /// it leaves out (<see cref="BalancedMaskSummary.LeftOutBins"/>), which reports must show.
    /// </para>
    /// <para>
    /// Sampling is selection sampling (Knuth's Algorithm S) in pixel order with one <see cref="Random"/> seeded by
    /// <paramref name="seed"/>: the same maps and seed always give the same mask, and memory is the mask plus a
    /// counter per bin. It does not reproduce the official file's choice of pixels, only its construction.
    /// </para>
    /// </remarks>
    /// <param name="truthMaps">Ground-truth depth in metres, every test map (e.g. 654 maps of 304 × 228).</param>
    /// <param name="bins">Depth bins (NYUD2: 100 of 0.1 m).</param>
    /// <param name="firstBin">Lowest sampled bin (NYUD2: 7).</param>
    /// <param name="seed">Seed of the sampling.</param>
    /// <param name="minBinPixels">Bins with fewer valid pixels are left out (1 = the official rule).</param>
    /// <returns>
    /// The mask, one flat array over the maps concatenated in order (map m's pixel i is entry
    /// Σ_{j&lt;m} truthMaps[j].Length + i), with k and the sampled and left-out bins.
    /// </returns>
    /// <exception cref="ArgumentException">No bin ≥ firstBin holds <paramref name="minBinPixels"/> valid pixels.</exception>
    public static BalancedDepthMaskSelection Build(IReadOnlyList<float[]> truthMaps, LabelBins bins, int firstBin, int seed, long minBinPixels = OfficialMinBinPixels)
    {
        ArgumentNullException.ThrowIfNull(truthMaps);
        ArgumentNullException.ThrowIfNull(bins);
        ArgumentOutOfRangeException.ThrowIfNegative(firstBin);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstBin, bins.MaxBin);
        ArgumentOutOfRangeException.ThrowIfLessThan(minBinPixels, 1);

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

        var sampled = new List<int>();
        var leftOut = new List<int>();
        for (var b = firstBin; b < counts.Length; b++)
        {
            if (counts[b] >= minBinPixels)
            {
                sampled.Add(b);
            }
            else if (counts[b] > 0)
            {
                leftOut.Add(b);
            }
        }

        if (sampled.Count == 0)
        {
            throw new ArgumentException(
                minBinPixels == OfficialMinBinPixels
                    ? $"No valid test pixel lies in bin {firstBin} or above."
                    : $"No bin from {firstBin} up holds {minBinPixels} valid pixels.",
                nameof(truthMaps));
        }

        var k = sampled.Min(b => counts[b]);

        // needed[b]: pixels bin b must still select; remaining[b]: its candidates not yet visited.
        var needed = new long[bins.Count];
        var remaining = (long[])counts.Clone();
        foreach (var b in sampled)
        {
            needed[b] = k;
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

        // Edges rounded to micrometres: start + b * width is 0.7000000000000001 m in binary, which reports should not show.
        double From(int b) => Math.Round(bins.LowerEdge(b), 6);
        double To(int b) => Math.Round(bins.LowerEdge(b) + bins.Width, 6);
        var summary = new BalancedMaskSummary(minBinPixels, k, sampled.Count, From(sampled[0]), To(sampled[^1]),
            [.. leftOut.Select(b => new LeftOutBin(From(b), To(b), counts[b]))]);
        return new BalancedDepthMaskSelection(mask, summary);
    }

    private static bool IsValid(float depth) => float.IsFinite(depth) && depth > 0;
}
