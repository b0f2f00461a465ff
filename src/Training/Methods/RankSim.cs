using static TorchSharp.torch;

namespace ConR.Training.Methods;

/// <summary>
/// RankSim (Gong et al., ICML 2022), written from the formulas in docs/conr-digest.md §2.5: within a batch reduced to
/// one random sample per distinct label, the ranking of every row of the cosine-similarity matrix of the features
/// should match the ranking of the negative label distances. Ranking is piecewise constant, so its gradient is the
/// blackbox-differentiation one (<see cref="BlackboxRanker"/>).
/// </summary>
public static class RankSim
{
    /// <summary>
    /// Σ_i MSE(rank_norm(X_i), rank_norm(−|y_i − y|)) over the rows of X = normalize(f)·normalize(f)ᵀ, after keeping one
    /// sample per distinct label (chosen with <paramref name="random"/>). Gradients flow through the features only.
    /// Returns 0 when fewer than two distinct labels remain.
    /// </summary>
    /// <param name="features">[B, D] (or [B, ...], flattened per sample).</param>
    /// <param name="labels">[B] or [B, 1] scalar labels.</param>
    /// <param name="lambda">Interpolation strength λ of the blackbox gradient (RankSim paper: 2).</param>
    /// <param name="random">Picks the representative of each label; seed it per step for reproducible runs.</param>
    public static Tensor Compute(Tensor features, Tensor labels, double lambda, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(lambda > 0)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be positive");
        long b = features.shape[0];
        if (labels.numel() != b) throw new ArgumentException($"RankSim got {labels.numel()} labels for {b} samples");
        using var scope = NewDisposeScope();
        var hostLabels = labels.detach().reshape(-1).to_type(ScalarType.Float32).cpu().data<float>().ToArray();
        var chosen = hostLabels
            .Select((label, index) => (label, index))
            .GroupBy(x => x.label)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var members = g.Select(x => x.index).ToArray();
                return (long)members[random.Next(members.Length)];
            })
            .ToArray();
        if (chosen.Length < 2) return zeros(Array.Empty<long>(), device: features.device).MoveToOuterDisposeScope();

        var index = tensor(chosen, device: features.device);
        var f = features.reshape(b, -1).index_select(0, index).to_type(ScalarType.Float32);
        var y = tensor(chosen.Select(i => hostLabels[i]).ToArray(), device: features.device);
        var z = nn.functional.normalize(f, p: 2, dim: 1);
        var similarity = z.matmul(z.T);
        var labelRanks = NormalizedRanks(-(y.unsqueeze(1) - y.unsqueeze(0)).abs());
        var featureRanks = BlackboxRanker.apply(similarity, lambda);
        var loss = (featureRanks - labelRanks).square().mean(new long[] { 1 }).sum();
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Row-wise rank_norm(s) = (rank(s) + 1)/n, where rank(s) = argsort(argsort(s) reversed): the largest value of a
    /// row gets rank 0. Ties are broken as a stable ascending sort reversed does: of equal values, the later index
    /// ranks first. Computed on the host (rows of a batch are short); returns float32 on the input's device.
    /// </summary>
    /// <param name="values">[n] or [m, n].</param>
    public static Tensor NormalizedRanks(Tensor values)
    {
        var shape = values.shape;
        long n = shape[^1];
        long rows = values.numel() / Math.Max(n, 1);
        var host = values.detach().to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        var ranks = new float[host.Length];
        for (long r = 0; r < rows; r++)
        {
            long start = r * n;
            for (long i = 0; i < n; i++)
            {
                double v = host[start + i];
                long rank = 0;
                for (long j = 0; j < n; j++)
                {
                    double w = host[start + j];
                    if (w > v || (w == v && j > i)) rank++;
                }
                ranks[start + i] = (float)((rank + 1.0) / n);
            }
        }
        return tensor(ranks, shape, device: values.device);
    }
}

/// <summary>
/// rank_norm as a custom autograd function (TorchSharp's <c>autograd.SingleTensorFunction</c>), rows ranked
/// independently. Backward is blackbox differentiation (Vlastelica et al., ICLR 2020): with the incoming gradient g,
/// s' = s + λ·g and ∂L/∂s ≈ −(rank_norm(s) − rank_norm(s'))/(λ + 1e-8), using the same map as the forward.
/// Apply as <c>BlackboxRanker.apply(scores, lambda)</c>.
/// </summary>
public sealed class BlackboxRanker : autograd.SingleTensorFunction<BlackboxRanker>
{
    private const string LambdaKey = "lambda";

    public override string Name => nameof(BlackboxRanker);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var scores = (Tensor)vars[0];
        double lambda = Convert.ToDouble(vars[1], System.Globalization.CultureInfo.InvariantCulture);
        ctx.save_for_backward([scores]);
        ctx.save_data(LambdaKey, lambda);
        return RankSim.NormalizedRanks(scores);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var scores = ctx.get_saved_variables()[0];
        double lambda = (double)ctx.get_data(LambdaKey);
        using var noGrad = no_grad();
        var perturbed = scores.detach() + lambda * grad_output.to_type(scores.dtype);
        var gradient = -(RankSim.NormalizedRanks(scores) - RankSim.NormalizedRanks(perturbed)) / (lambda + 1e-8);
        // One gradient per forward argument: the scores, and nothing for lambda.
        return [gradient.to_type(scores.dtype), null!];
    }
}
