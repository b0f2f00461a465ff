namespace ConR.Shared.Imbalance;

/// <summary>
/// Equal-width label bins [Start + b·Width, Start + (b+1)·Width), b = 0..Count−1. Labels outside
/// the range are clamped into the first or last bin (DIR's <c>min(max_target − 1, int(y))</c>).
/// </summary>
public sealed class LabelBins
{
    // A label this close (in bin widths) below an edge is floating-point noise, not a smaller label.
    private const double EdgeTolerance = 1e-9;

    /// <param name="width">Bin width in label units (years, metres); &gt; 0.</param>
    /// <param name="count">Number of bins; ≥ 1.</param>
    /// <param name="start">Lower edge of bin 0 in label units; default 0.</param>
    public LabelBins(double width, int count, double start = 0)
    {
        if (!(width > 0) || double.IsInfinity(width))
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "Bin width must be positive and finite.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!double.IsFinite(start))
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, "Bin start must be finite.");
        }

        Width = width;
        Count = count;
        Start = start;
    }

    /// <summary>AgeDB/IMDB-WIKI ages: 121 bins of 1 year from 0, so bin 120 holds every age ≥ 120.</summary>
    public static LabelBins Age { get; } = new(1, 121);

    /// <summary>Bin width in label units.</summary>
    public double Width { get; }

    /// <summary>Number of bins.</summary>
    public int Count { get; }

    /// <summary>Lower edge of bin 0 in label units.</summary>
    public double Start { get; }

    /// <summary>Index of the last bin (Count − 1).</summary>
    public int MaxBin => Count - 1;

    /// <summary>
    /// clamp(floor((label − Start) / Width), 0, MaxBin). A label within 1e-9 widths below an edge
    /// counts as on it, so 0.3 m in 0.1 m bins is bin 3 (as Python's <c>int(0.3 * 10)</c>), not 2.
    /// </summary>
    /// <exception cref="ArgumentException">The label is NaN.</exception>
    public int BinOf(double label)
    {
        var index = FloorIndex(label, Start, Width);
        return (int)Math.Clamp(index, 0, MaxBin);
    }

    /// <summary>Lower edge of bin <paramref name="bin"/>; <paramref name="bin"/> = Count gives the top edge.</summary>
    public double LowerEdge(int bin)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bin);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bin, Count);
        return Start + (bin * Width);
    }

    // Unclamped bin index, saturated to the long range so huge labels cannot overflow.
    internal static long FloorIndex(double value, double start, double width)
    {
        if (double.IsNaN(value))
        {
            throw new ArgumentException("Label must not be NaN.", nameof(value));
        }

        var q = (value - start) / width;
        var nearest = Math.Round(q);
        var index = Math.Abs(q - nearest) <= EdgeTolerance ? nearest : Math.Floor(q);
        return (long)Math.Clamp(index, int.MinValue, int.MaxValue);
    }
}
