using static TorchSharp.torch;

namespace ConR.Training.ConR;

/// <summary>
/// The ConR contrastive regularizer (Keramati et al., ICLR 2024), written from the formulas in docs/conr-digest.md §1.2.
/// Positives are pairs whose labels lie within the window; negatives are pairs whose labels differ but whose
/// predictions are close, pushed apart with a weight that grows with label distance and the anchor's sample weight.
/// </summary>
public static class ConRLoss
{
    // Stands in for -infinity in masked log-sum-exp terms: finite, so masked rows never produce NaN gradients.
    private const double MaskedLogit = -1e4;

    /// <summary>
    /// Computes the scalar ConR loss. Gradients flow through <paramref name="features"/> only.
    /// </summary>
    /// <param name="features">[N, D] (or [N, ...], flattened per sample).</param>
    /// <param name="labels">[N] or [N, ...]; reduced to the per-sample mean.</param>
    /// <param name="predictions">Same shape as labels; treated as constants.</param>
    /// <param name="weights">Per-sample (or per-element) weights, or null for all ones.</param>
    /// <param name="options">Window, temperature, pushing scale and variant.</param>
    public static Tensor Compute(Tensor features, Tensor labels, Tensor predictions, Tensor? weights, ConROptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        long n = features.shape[0];
        if (labels.shape[0] != n || predictions.shape[0] != n || (weights is not null && weights.shape[0] != n))
            throw new ArgumentException($"features, labels, predictions and weights must share the batch size {n}.");
        if (n == 0) throw new ArgumentException("ConR needs at least one sample.", nameof(features));

        using var scope = NewDisposeScope();
        var y = PerSample(labels);
        var p = PerSample(predictions);
        var w = weights is null ? ones_like(y) : PerSample(weights);
        var labelDistance = (y.unsqueeze(1) - y.unsqueeze(0)).abs();
        var predictionDistance = (p.unsqueeze(1) - p.unsqueeze(0)).abs();
        return FromDistances(features, labelDistance, predictionDistance, w, options).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The ConR loss from precomputed pairwise distances: the shared core of <see cref="Compute"/> (|y_j - y_k| of
    /// per-sample labels) and of label spaces with another distance (the dense depth variant compares whole maps).
    /// Gradients flow through <paramref name="features"/> only; the distances and weights are treated as constants.
    /// </summary>
    /// <param name="features">[N, D] (or [N, ...], flattened per sample).</param>
    /// <param name="labelDistance">[N, N] label distances d_jk (symmetric, zero diagonal expected).</param>
    /// <param name="predictionDistance">[N, N] prediction distances p_jk.</param>
    /// <param name="sampleWeights">[N] per-sample weights w_j (all ones without re-weighting).</param>
    /// <param name="options">Window, temperature, pushing scale and variant.</param>
    public static Tensor FromDistances(Tensor features, Tensor labelDistance, Tensor predictionDistance, Tensor sampleWeights, ConROptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        long n = features.shape[0];
        if (n == 0) throw new ArgumentException("ConR needs at least one sample.", nameof(features));
        if (!labelDistance.shape.SequenceEqual(new[] { n, n }) || !predictionDistance.shape.SequenceEqual(new[] { n, n }))
            throw new ArgumentException($"distance matrices must be [{n}, {n}].");
        if (sampleWeights.numel() != n) throw new ArgumentException($"sample weights must have {n} entries.", nameof(sampleWeights));

        using var scope = NewDisposeScope();
        var z = nn.functional.normalize(features.reshape(n, -1), p: 2, dim: 1);
        labelDistance = labelDistance.detach().to_type(ScalarType.Float32);
        predictionDistance = predictionDistance.detach().to_type(ScalarType.Float32);
        var w = sampleWeights.detach().reshape(n).to_type(ScalarType.Float32);

        var similarity = z.matmul(z.T) / options.Temperature;
        var notSelf = eye(n, dtype: ScalarType.Bool, device: features.device).logical_not();

        var positive = labelDistance.le(options.Window).logical_and(notSelf);
        var negative = labelDistance.gt(options.Window).logical_and(predictionDistance.le(options.Window));

        // log S is formed directly (log w_j + e*d for the age forms) so a large pushing scale cannot overflow exp.
        var logWeight = w.clamp_min(0).log().unsqueeze(1);
        var logPushing = options.Variant == ConRVariant.OfficialDepth
            ? logWeight + (options.PushingScale * labelDistance).log()
            : logWeight + options.PushingScale * labelDistance;
        // A zero pushing weight removes the pair from the denominator; the anchor stays an anchor (digest 1.2).
        var pushed = negative.logical_and(logPushing.isfinite());
        var negativeLogits = where(pushed, similarity + where(pushed, logPushing, 0.0), MaskedLogit);

        // The official code sums exp(s*P): every non-positive entry, the anchor included, adds exp(0) = 1.
        var positiveLogits = options.Variant == ConRVariant.Clean
            ? where(positive, similarity, MaskedLogit)
            : where(positive, similarity, 0.0);
        var logDenominator = cat(new[] { positiveLogits, negativeLogits }, dim: 1).logsumexp(1);

        var positiveCount = positive.sum(1, type: ScalarType.Float32);
        var positiveSimilarity = where(positive, similarity, 0.0).sum(1);
        var divisor = options.Variant == ConRVariant.OfficialDepth ? positiveCount + 1 : positiveCount.clamp_min(1);
        var perAnchor = (positiveCount * logDenominator - positiveSimilarity) / divisor;

        var isAnchor = negative.any(1).logical_and(positiveCount.gt(0));
        var outer = options.Variant == ConRVariant.OfficialDepth ? ones_like(w) : w;
        var loss = where(isAnchor, outer * perAnchor, 0.0).sum() / n;
        return loss.MoveToOuterDisposeScope();
    }

    private static Tensor PerSample(Tensor t)
    {
        var flat = t.detach().reshape(t.shape[0], -1).to_type(ScalarType.Float32);
        return flat.shape[1] == 1 ? flat.squeeze(1) : flat.mean(new long[] { 1 });
    }
}
