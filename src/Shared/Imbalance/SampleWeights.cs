using System.Collections.ObjectModel;

namespace ConR.Shared.Imbalance;

/// <summary>
/// DIR re-weighting (optionally with LDS) for the age datasets: per-bin value v_b = sqrt(n_b)
/// (SqrtInv) or clip(n_b, 5, 1000) (Inverse), optionally v' = convolve1d(v, window, 'constant')
/// over all bins, and weight_b = s / v'_b with s chosen so the mean weight over the training
/// samples is 1.
/// </summary>
public sealed class SampleWeights
{
    private readonly double[] _perBin;

    private SampleWeights(double[] perBin, LabelBins bins)
    {
        _perBin = perBin;
        Bins = bins;
        PerBin = new ReadOnlyCollection<double>(perBin);
    }

    /// <summary>The binning the weights refer to.</summary>
    public LabelBins Bins { get; }

    /// <summary>
    /// Weight per bin (length <see cref="LabelBins.Count"/>). A bin whose smoothed value is 0
    /// (only possible with no training samples in or, with LDS, near it) gets the largest finite
    /// weight: an unseen label is treated as at least as rare as the rarest seen one.
    /// </summary>
    public IReadOnlyList<double> PerBin { get; }

    /// <summary>Builds weights from the training histogram.</summary>
    /// <param name="trainHistogram">Training label counts; must not be empty.</param>
    /// <param name="mode">Re-weighting; <see cref="ReweightMode.None"/> gives all weights 1.</param>
    /// <param name="lds">Smoothing, or null for none; requires a mode other than None.</param>
    /// <exception cref="ArgumentException">LDS with mode None, an invalid LDS setting, or an empty histogram.</exception>
    public static SampleWeights Create(LabelHistogram trainHistogram, ReweightMode mode, LdsOptions? lds)
    {
        ArgumentNullException.ThrowIfNull(trainHistogram);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown re-weighting mode.");
        }

        var bins = trainHistogram.Bins;
        if (mode == ReweightMode.None)
        {
            if (lds is not null)
            {
                throw new ArgumentException("LDS needs re-weighting (sqrt_inv or inverse).", nameof(lds));
            }

            return new SampleWeights(Enumerable.Repeat(1.0, bins.Count).ToArray(), bins);
        }

        if (trainHistogram.Total == 0)
        {
            throw new ArgumentException("The training histogram is empty.", nameof(trainHistogram));
        }

        var values = trainHistogram.Counts
            .Select(n => mode == ReweightMode.SqrtInv ? Math.Sqrt(n) : Math.Clamp(n, 5, 1000))
            .ToArray();
        if (lds is not null)
        {
            lds.Validate();
            var window = LdsKernel.Window(lds.Kind, lds.KernelSize, lds.Sigma);
            values = Convolution1D.Convolve(values, window, ConvolutionBoundary.Constant);
        }

        return new SampleWeights(Normalise(values, trainHistogram), bins);
    }

    /// <summary>Weight of a sample with this label (its bin's weight).</summary>
    public double WeightFor(double label) => _perBin[Bins.BinOf(label)];

    /// <summary>Weights for a batch of labels, as float32 for the training loop; same order and length.</summary>
    public float[] WeightsFor(IReadOnlyList<double> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var weights = new float[labels.Count];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)WeightFor(labels[i]);
        }

        return weights;
    }

    // s = N / Σ_b n_b / v'_b makes Σ_i s / v'_{b_i} = N over the training samples.
    private static double[] Normalise(double[] values, LabelHistogram trainHistogram)
    {
        var inverseSum = 0.0;
        for (var b = 0; b < values.Length; b++)
        {
            if (trainHistogram[b] > 0)
            {
                inverseSum += trainHistogram[b] / values[b];
            }
        }

        var scale = trainHistogram.Total / inverseSum;
        var weights = values.Select(v => v > 0 ? scale / v : double.NaN).ToArray();
        var maxFinite = weights.Where(double.IsFinite).Max();
        for (var b = 0; b < weights.Length; b++)
        {
            if (!double.IsFinite(weights[b]))
            {
                weights[b] = maxFinite;
            }
        }

        return weights;
    }
}
