using System.Collections.ObjectModel;

namespace ConR.Shared.Imbalance;

/// <summary>Number of training labels per bin of a <see cref="LabelBins"/>.</summary>
public sealed class LabelHistogram
{
    private readonly long[] _counts;

    private LabelHistogram(long[] counts, LabelBins bins)
    {
        _counts = counts;
        Bins = bins;
        Counts = new ReadOnlyCollection<long>(counts);
        Total = counts.Sum();
    }

    /// <summary>The binning the counts refer to.</summary>
    public LabelBins Bins { get; }

    /// <summary>Count per bin; length <see cref="LabelBins.Count"/>.</summary>
    public IReadOnlyList<long> Counts { get; }

    /// <summary>Number of labels counted (sum of <see cref="Counts"/>).</summary>
    public long Total { get; }

    /// <summary>Count of bin <paramref name="bin"/> (0..MaxBin).</summary>
    public long this[int bin] => _counts[bin];

    /// <summary>Counts each label into <see cref="LabelBins.BinOf"/>.</summary>
    public static LabelHistogram FromLabels(IEnumerable<double> labels, LabelBins bins)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(bins);
        var counts = new long[bins.Count];
        foreach (var label in labels)
        {
            counts[bins.BinOf(label)]++;
        }

        return new LabelHistogram(counts, bins);
    }

    /// <summary>Wraps precomputed per-bin counts (e.g. NYUD2's hard-coded pixel counts); one non-negative count per bin.</summary>
    public static LabelHistogram FromCounts(IEnumerable<long> counts, LabelBins bins)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(bins);
        var copy = counts.ToArray();
        if (copy.Length != bins.Count)
        {
            throw new ArgumentException($"Expected {bins.Count} counts, got {copy.Length}.", nameof(counts));
        }

        if (copy.Any(c => c < 0))
        {
            throw new ArgumentException("Counts must not be negative.", nameof(counts));
        }

        return new LabelHistogram(copy, bins);
    }

    /// <summary>Count of the bin that <paramref name="label"/> falls in.</summary>
    public long CountFor(double label) => _counts[Bins.BinOf(label)];
}
