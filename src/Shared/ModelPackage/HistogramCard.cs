using ConR.Shared.Imbalance;
using ConR.Shared.Metrics;

namespace ConR.Shared.ModelPackage;

/// <summary>
/// The training label histogram and its DIR shot groups, so the serving API can say whether a prediction
/// lies where training data was plentiful or scarce.
/// </summary>
/// <param name="BinWidth">Bin width in label units (1 year for age); &gt; 0.</param>
/// <param name="Start">Lower edge of bin 0 in label units.</param>
/// <param name="Counts">Training count per bin, in <paramref name="ThresholdUnit"/>; non-negative.</param>
/// <param name="Shots">Shot group per bin ("many", "median", "few"); same length as Counts and consistent with Thresholds.</param>
/// <param name="Thresholds">The shot cut-offs, in <paramref name="ThresholdUnit"/>.</param>
/// <param name="ThresholdUnit">What counts count: <see cref="Samples"/> (age) or <see cref="Pixels"/> (depth).</param>
public sealed record HistogramCard(
    double BinWidth,
    double Start,
    IReadOnlyList<long> Counts,
    IReadOnlyList<string> Shots,
    ShotThresholds Thresholds,
    string ThresholdUnit)
{
    /// <summary>"samples": one count per training image.</summary>
    public const string Samples = "samples";

    /// <summary>"pixels": one count per valid training pixel.</summary>
    public const string Pixels = "pixels";

    /// <summary>The card of a training histogram, with each bin's shot from <paramref name="thresholds"/>.</summary>
    public static HistogramCard From(LabelHistogram histogram, ShotThresholds thresholds, string thresholdUnit)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        ArgumentNullException.ThrowIfNull(thresholds);
        return new HistogramCard(
            histogram.Bins.Width,
            histogram.Bins.Start,
            [.. histogram.Counts],
            [.. histogram.Counts.Select(count => ShotLabels.ToLabel(thresholds.Classify(count)))],
            thresholds,
            thresholdUnit);
    }

    /// <summary>The histogram back, for <see cref="LabelHistogram.CountFor"/> and <see cref="ShotThresholds.Classify"/>.</summary>
    public LabelHistogram ToLabelHistogram() =>
        LabelHistogram.FromCounts(Counts, new LabelBins(BinWidth, Counts.Count, Start));
}
