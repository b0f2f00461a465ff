using ConR.Shared.Imbalance;

namespace ConR.Shared.Calibration;

/// <summary>
/// Importance weights for label shift, w(y) = p_target(y) / p_sample(y): how much more (or less) often a label occurs
/// in the target mix (the training split's histogram) than in the sample at hand (the val or test split). Weighting
/// the sample's residuals by w makes them stand for the target mix (weighted split-conformal, Tibshirani et al. 2019,
/// applied to label shift).
/// </summary>
/// <remarks>
/// Both densities are read per bin of the target histogram (1 year for age, 0.1 m for depth). A bin in which the
/// sample has no label cannot be represented by any sample, so such bins are pooled with the neighbouring bin that
/// has samples (towards lower labels, the first such bins towards higher ones) and share its weight: target mass is
/// moved to the nearest labels the sample has, never invented. A group without target mass gets weight 0.
/// </remarks>
public sealed class LabelShiftWeights
{
    private readonly LabelBins bins;
    private readonly double[] weightOfBin;

    private LabelShiftWeights(LabelBins bins, double[] weightOfBin, int groups, double effectiveSampleSize)
    {
        this.bins = bins;
        this.weightOfBin = weightOfBin;
        GroupCount = groups;
        EffectiveSampleSize = effectiveSampleSize;
    }

    /// <summary>Gets the number of weight groups (target bins pooled so that each holds sample labels).</summary>
    public int GroupCount { get; }

    /// <summary>Gets the effective sample size (Σw)² / Σw² of the sample the weights were fitted on.</summary>
    public double EffectiveSampleSize { get; }

    /// <summary>Weights for <paramref name="sampleLabels"/> (one label per sample) towards <paramref name="target"/>.</summary>
    /// <param name="target">The target mix: the training label histogram (counts may be samples or pixels).</param>
    /// <param name="sampleLabels">The labels of the weighted split, in label units; finite.</param>
    /// <exception cref="ArgumentException">No sample, a non-finite label, or an empty target.</exception>
    public static LabelShiftWeights Fit(LabelHistogram target, IEnumerable<double> sampleLabels)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sampleLabels);
        var counts = new long[target.Bins.Count];
        foreach (var label in sampleLabels)
        {
            counts[BinOf(target.Bins, label)]++;
        }

        return FromCounts(target, counts);
    }

    /// <summary>Per-pixel version (depth: millions of valid pixels).</summary>
    /// <inheritdoc cref="Fit(LabelHistogram, IEnumerable{double})"/>
    public static LabelShiftWeights Fit(LabelHistogram target, ReadOnlySpan<float> sampleLabels)
    {
        ArgumentNullException.ThrowIfNull(target);
        var counts = new long[target.Bins.Count];
        foreach (var label in sampleLabels)
        {
            counts[BinOf(target.Bins, label)]++;
        }

        return FromCounts(target, counts);
    }

    /// <summary>The weight of a sample with label <paramref name="label"/> (labels outside the histogram count in its end bins).</summary>
    /// <exception cref="ArgumentException">The label is not finite.</exception>
    public double WeightOf(double label) => weightOfBin[BinOf(bins, label)];

    /// <summary>The weight of each label.</summary>
    public double[] For(IReadOnlyList<double> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var weights = new double[labels.Count];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = WeightOf(labels[i]);
        }

        return weights;
    }

    /// <summary>The weight of each label, as float for per-pixel spans.</summary>
    public float[] For(ReadOnlySpan<float> labels)
    {
        var weights = new float[labels.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)WeightOf(labels[i]);
        }

        return weights;
    }

    private static LabelShiftWeights FromCounts(LabelHistogram target, long[] sampleCounts)
    {
        long sampleTotal = sampleCounts.Sum();
        if (sampleTotal == 0)
        {
            throw new ArgumentException("Label-shift weights need at least one sample label.", nameof(sampleCounts));
        }

        if (target.Total <= 0)
        {
            throw new ArgumentException("The target histogram is empty.", nameof(target));
        }

        // Groups: each occupied sample bin starts one; empty bins after it join it, empty bins before the first
        // occupied one join the first.
        var binCount = sampleCounts.Length;
        var groupOf = new int[binCount];
        var groupSample = new List<long>();
        var groupTarget = new List<long>();
        for (var b = 0; b < binCount; b++)
        {
            if (sampleCounts[b] > 0)
            {
                groupSample.Add(0);
                groupTarget.Add(0);
            }

            var g = Math.Max(groupSample.Count - 1, 0);
            groupOf[b] = g;
            if (groupSample.Count == 0)
            {
                // Before the first occupied bin: counted into group 0 once it exists.
                continue;
            }

            groupSample[g] += sampleCounts[b];
            groupTarget[g] += target[b];
        }

        for (var b = 0; b < binCount && sampleCounts[b] == 0; b++)
        {
            groupTarget[0] += target[b];
        }

        var weightOfGroup = new double[groupSample.Count];
        for (var g = 0; g < weightOfGroup.Length; g++)
        {
            weightOfGroup[g] = ((double)groupTarget[g] / target.Total) / ((double)groupSample[g] / sampleTotal);
        }

        // Every bin's target mass went to some group with samples, so with a non-empty target the sum is positive.
        double sum = 0, squares = 0;
        for (var b = 0; b < binCount; b++)
        {
            var w = weightOfGroup[groupOf[b]];
            sum += sampleCounts[b] * w;
            squares += sampleCounts[b] * w * w;
        }

        var weightOfBin = new double[binCount];
        for (var b = 0; b < binCount; b++)
        {
            weightOfBin[b] = weightOfGroup[groupOf[b]];
        }

        return new LabelShiftWeights(target.Bins, weightOfBin, weightOfGroup.Length, sum * sum / squares);
    }

    private static int BinOf(LabelBins bins, double label) =>
        double.IsFinite(label) ? bins.BinOf(label) : throw new ArgumentException($"Label {label} is not finite.", nameof(label));
}
