namespace ConR.Shared.Imbalance.Depth;

/// <summary>Depth binning for float32 depth maps (docs/conr-digest.md §2.1: bin = min(int(d · 10), 99)).</summary>
public static class DepthBins
{
    /// <summary>NYUD2-DIR: 100 bins of 0.1 m from 0; depths of 9.9 m and beyond fall in bin 99.</summary>
    public static LabelBins Nyu { get; } = new(0.1, 100);

    /// <summary>
    /// The bin of a float32 depth. Like <see cref="LabelBins.BinOf"/>, but a depth within one float32 ulp below a
    /// bin edge counts as on the edge, so depths meant as decimals land where the official float32 code puts them:
    /// 0.7f (= 0.69999999 in double) and 700 mm / 1000 are bin 7, not 6.
    /// </summary>
    /// <exception cref="ArgumentException">The depth is NaN.</exception>
    public static int BinOf(LabelBins bins, float depth)
    {
        ArgumentNullException.ThrowIfNull(bins);
        if (float.IsNaN(depth))
        {
            throw new ArgumentException("Depth must not be NaN.", nameof(depth));
        }

        // Distance from just below the nearest edge, in bin widths; a float32 ulp of the depth is the slack.
        var q = (depth - bins.Start) / bins.Width;
        var nearest = Math.Round(q);
        var gap = nearest - q;
        var magnitude = MathF.Abs(depth);
        var ulpInWidths = (MathF.BitIncrement(magnitude) - (double)magnitude) / bins.Width;
        return gap > 0 && gap <= ulpInWidths
            ? (int)Math.Clamp(nearest, 0, bins.MaxBin)
            : bins.BinOf(depth);
    }
}
