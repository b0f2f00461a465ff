namespace ConR.Shared.Calibration;

// Covered weight per level for one group of test samples (a range, a shot, everything), with the sums an
// importance-weighted fraction and its effective sample size need. Unweighted, every weight is 1.
internal sealed class CoverageTally(int levels)
{
    private readonly double[] hits = new double[levels];
    private double sumW;
    private double sumW2;

    public int Count { get; private set; }

    public void Add(double weight, ReadOnlySpan<bool> covered)
    {
        Count++;
        sumW += weight;
        sumW2 += weight * weight;
        for (var l = 0; l < hits.Length; l++)
        {
            if (covered[l])
            {
                hits[l] += weight;
            }
        }
    }

    // NaN where no sample (or no weight) fell: "not measured", written as null in the card.
    public Dictionary<string, double> Coverage(IReadOnlyList<string> keys)
    {
        var coverage = new Dictionary<string, double>(keys.Count);
        for (var l = 0; l < keys.Count; l++)
        {
            coverage[keys[l]] = sumW > 0 ? Math.Min(hits[l] / sumW, 1) : double.NaN;
        }

        return coverage;
    }

    public double? EffectiveCount(bool weighted) =>
        !weighted ? null : sumW2 > 0 ? sumW * sumW / sumW2 : 0;
}
