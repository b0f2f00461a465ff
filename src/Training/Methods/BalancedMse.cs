using static TorchSharp.torch;

namespace ConR.Training.Methods;

/// <summary>Which estimate of the training-label prior Balanced MSE uses.</summary>
public enum BalancedMseKind
{
    /// <summary>Batch-based Monte Carlo: the batch's own labels stand in for the prior (no prior needed).</summary>
    Bmc,

    /// <summary>Bin-based: the normalised training histogram over the label bins that occur.</summary>
    Bni,

    /// <summary>A Gaussian mixture fitted to the training labels.</summary>
    Gai,
}

/// <summary>
/// Balanced MSE (Ren et al., CVPR 2022), written from the formulas in docs/conr-digest.md §2.4. Every form is the
/// negative log-likelihood of the balanced (uniform-prior) predictive distribution with Gaussian noise of variance
/// σ² = <c>noiseVar</c>, multiplied by 2σ² (detached) so its scale stays that of an MSE; the constants log(2π) cancel
/// between the two terms and are left out. Predictions and targets may have any shape: they are flattened to one
/// value per element (per sample for age, per pixel for depth).
/// </summary>
public static class BalancedMse
{
    /// <summary>
    /// BMC: logits_ij = −(ŷ_i − y_j)²/(2σ²); L = mean_i CrossEntropy(logits_i, target i) · 2σ². O(N²) in memory.
    /// </summary>
    /// <param name="prediction">ŷ, N elements.</param>
    /// <param name="target">y, N elements.</param>
    /// <param name="noiseVar">σ², a scalar tensor (may require grad when σ is learned).</param>
    public static Tensor Bmc(Tensor prediction, Tensor target, Tensor noiseVar)
    {
        using var scope = NewDisposeScope();
        var (p, y) = Flatten(prediction, target);
        var logits = -(p.unsqueeze(1) - y.unsqueeze(0)).square() / (2 * noiseVar);
        var loss = nn.functional.cross_entropy(logits, arange(p.shape[0], dtype: ScalarType.Int64, device: p.device));
        return (loss * (2 * noiseVar).detach()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// BMC on a random subset of at most <paramref name="maxPixels"/> elements, for dense labels where all P² pairs do
    /// not fit: the subset is drawn without replacement from a generator seeded with <paramref name="seed"/> (so a
    /// step is reproducible), then <see cref="Bmc"/> runs on it. With P ≤ maxPixels every element is used.
    /// </summary>
    /// <param name="prediction">Predicted pixels (any shape, e.g. [B, 1, H, W] already masked to [P]).</param>
    /// <param name="target">True pixels, same element count.</param>
    /// <param name="noiseVar">σ².</param>
    /// <param name="maxPixels">Cap on the number of pixels paired (memory is O(cap²)); at least 2.</param>
    /// <param name="seed">Seed of the subset, e.g. mixed from (run seed, epoch, step).</param>
    public static Tensor BmcPixels(Tensor prediction, Tensor target, Tensor noiseVar, int maxPixels, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, 2);
        using var scope = NewDisposeScope();
        var (p, y) = Flatten(prediction, target);
        long count = p.shape[0];
        if (count > maxPixels)
        {
            using var generator = new Generator((ulong)seed);
            var subset = randperm(count, generator: generator)[..maxPixels].to(p.device);
            p = p.index_select(0, subset);
            y = y.index_select(0, subset);
        }
        return Bmc(p, y, noiseVar).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// BNI: L = mean[ ((ŷ − y)²/(2σ²) + logsumexp_b(log p_b − (ŷ − c_b)²/(2σ²))) · 2σ² ] over bins b with p_b &gt; 0.
    /// </summary>
    /// <param name="prediction">ŷ.</param>
    /// <param name="target">y.</param>
    /// <param name="noiseVar">σ².</param>
    /// <param name="binCentres">c_b, [C].</param>
    /// <param name="logPrior">log p_b, [C] (p normalised to sum 1).</param>
    public static Tensor Bni(Tensor prediction, Tensor target, Tensor noiseVar, Tensor binCentres, Tensor logPrior)
    {
        using var scope = NewDisposeScope();
        var (p, y) = Flatten(prediction, target);
        var fit = (p - y).square() / (2 * noiseVar);
        var balance = (logPrior.unsqueeze(0) - (p.unsqueeze(1) - binCentres.unsqueeze(0)).square() / (2 * noiseVar)).logsumexp(1);
        return ((fit + balance) * (2 * noiseVar).detach()).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// GAI: L = mean[ ((ŷ − y)²/(2σ²) + ½ log σ² + logsumexp_k(log π_k − ½ log(v_k + σ²) − (ŷ − μ_k)²/(2(v_k + σ²)))) · 2σ² ].
    /// </summary>
    /// <param name="prediction">ŷ.</param>
    /// <param name="target">y.</param>
    /// <param name="noiseVar">σ².</param>
    /// <param name="logWeights">log π_k, [K].</param>
    /// <param name="means">μ_k, [K].</param>
    /// <param name="variances">v_k, [K].</param>
    public static Tensor Gai(Tensor prediction, Tensor target, Tensor noiseVar, Tensor logWeights, Tensor means, Tensor variances)
    {
        using var scope = NewDisposeScope();
        var (p, y) = Flatten(prediction, target);
        var fit = (p - y).square() / (2 * noiseVar) + 0.5 * noiseVar.log();
        var spread = variances.unsqueeze(0) + noiseVar;
        var balance = (logWeights.unsqueeze(0) - 0.5 * spread.log() - (p.unsqueeze(1) - means.unsqueeze(0)).square() / (2 * spread)).logsumexp(1);
        return ((fit + balance) * (2 * noiseVar).detach()).mean().MoveToOuterDisposeScope();
    }

    private static (Tensor Prediction, Tensor Target) Flatten(Tensor prediction, Tensor target)
    {
        if (prediction.numel() != target.numel())
            throw new ArgumentException($"Balanced MSE needs one target per prediction (got {prediction.numel()} and {target.numel()})");
        if (prediction.numel() == 0) throw new ArgumentException("Balanced MSE needs at least one element");
        return (prediction.reshape(-1).to_type(ScalarType.Float32), target.detach().reshape(-1).to_type(ScalarType.Float32));
    }
}
