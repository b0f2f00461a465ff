using static TorchSharp.torch;

namespace ConR.Training.Depth.Losses;

/// <summary>Per-pixel regression loss of a depth run.</summary>
public enum DepthLossKind
{
    /// <summary>Weighted squared error (the official NYUD2 loss, mean((ŷ − y)² · w)).</summary>
    Mse,

    /// <summary>Weighted absolute error.</summary>
    L1,

    /// <summary>Balanced MSE with a bin-based prior (BNI), on pixels with depth ≥ 0.7 m.</summary>
    Bni,
}

/// <summary>Weighted per-pixel MSE / L1 over the pixels with ground truth.</summary>
public static class DepthRegressionLoss
{
    /// <summary>
    /// Σ w·e / (number of pixels with depth &gt; 0), e = (ŷ − y)² or |ŷ − y|. <paramref name="pixelWeights"/> must be 0
    /// on no-data pixels (depth ≤ 0) so they drop out (<see cref="Shared.Imbalance.Depth.DepthPixelWeights.PerPixel"/>
    /// does that; without re-weighting pass the valid mask). Dividing by the valid count keeps the scale of the
    /// official mean((ŷ − y)² · w) over maps without holes. A batch without valid pixels gives 0 (with a gradient).
    /// </summary>
    public static Tensor Compute(DepthLossKind kind, Tensor prediction, Tensor target, Tensor pixelWeights)
    {
        if (kind == DepthLossKind.Bni) throw new ArgumentException("use BalancedMseBni for bni", nameof(kind));
        using var scope = NewDisposeScope();
        var error = prediction - target;
        var perPixel = kind == DepthLossKind.Mse ? error.square() : error.abs();
        var valid = target.gt(0).sum().to_type(ScalarType.Float32).clamp_min(1);
        return ((perPixel * pixelWeights.reshape(perPixel.shape)).sum() / valid).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Balanced MSE with the bin-based prior (BNI; docs/conr-digest.md §2.4), per pixel:
/// L = mean over pixels with y ≥ minDepth of [ (ŷ − y)²/(2σ²) + logsumexp_b( log p_b − (ŷ − c_b)²/(2σ²) ) ] · 2σ²,
/// with bin centres c_b = start + (b + ½)·width (0.05 + 0.1·b for NYUD2) and p_b the normalised training pixel counts
/// (bins below the bucket start take the bucket start's count). σ is fixed (the official NYUD2 README runs
/// --init_noise_sigma 1 --fix_noise_sigma), and 2σ² is a constant that restores the MSE scale. The logsumexp is read
/// from a table (<see cref="BniNormaliser"/>): it depends on ŷ alone.
/// </summary>
public sealed class BalancedMseBni
{
    /// <summary>A bin without training pixels gets this probability floor before the log (keeps the loss finite).</summary>
    public const double MinProbability = 1e-12;

    private readonly BniNormaliser normaliser;

    private BalancedMseBni(float[] centres, float[] logPrior, double sigma, double minDepth)
    {
        Centres = centres;
        LogPrior = logPrior;
        Sigma = sigma;
        MinDepth = minDepth;
        normaliser = new BniNormaliser(centres, logPrior, sigma);
    }

    public IReadOnlyList<float> Centres { get; }
    public IReadOnlyList<float> LogPrior { get; }
    public double Sigma { get; }
    public double MinDepth { get; }

    /// <param name="trainPixelCounts">Training pixels per bin.</param>
    /// <param name="binWidth">Bin width (0.1 m).</param>
    /// <param name="binStart">Lower edge of bin 0 (0 m).</param>
    /// <param name="bucketStart">Bins below it take its count (NYUD2: 7).</param>
    /// <param name="sigma">Noise σ in metres (1).</param>
    /// <param name="minDepth">Only pixels with depth ≥ this enter the loss (0.7 m).</param>
    public static BalancedMseBni FromPixelCounts(IReadOnlyList<long> trainPixelCounts, double binWidth, double binStart, int bucketStart, double sigma, double minDepth)
    {
        ArgumentNullException.ThrowIfNull(trainPixelCounts);
        if (trainPixelCounts.Count == 0) throw new ArgumentException("no bins", nameof(trainPixelCounts));
        if (!(sigma > 0)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be positive");
        ArgumentOutOfRangeException.ThrowIfNegative(bucketStart);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bucketStart, trainPixelCounts.Count);
        var counts = trainPixelCounts.Select((n, b) => (double)(b < bucketStart ? trainPixelCounts[bucketStart] : n)).ToArray();
        double total = counts.Sum();
        if (!(total > 0)) throw new ArgumentException("the training pixel counts are all zero", nameof(trainPixelCounts));
        var logPrior = counts.Select(n => (float)Math.Log(Math.Max(n / total, MinProbability))).ToArray();
        var centres = Enumerable.Range(0, counts.Length).Select(b => (float)(binStart + ((b + 0.5) * binWidth))).ToArray();
        return new BalancedMseBni(centres, logPrior, sigma, minDepth);
    }

    /// <summary>The loss of a batch; [N, 1, h, w] prediction and target (any equal shapes). 0 (with a gradient) when no pixel qualifies.</summary>
    public Tensor Compute(Tensor prediction, Tensor target)
    {
        using var scope = NewDisposeScope();
        var mask = target.ge((float)MinDepth).logical_and(target.gt(0));
        var p = prediction.masked_select(mask).to_type(ScalarType.Float32);
        if (p.numel() == 0) return (prediction.sum() * 0).MoveToOuterDisposeScope();
        var y = target.masked_select(mask).to_type(ScalarType.Float32);
        double twoVar = 2 * Sigma * Sigma;
        var fit = (p - y).square() / twoVar;
        var perPixel = (fit + normaliser.At(p).to_type(ScalarType.Float32)) * twoVar;
        return perPixel.mean().MoveToOuterDisposeScope();
    }
}
