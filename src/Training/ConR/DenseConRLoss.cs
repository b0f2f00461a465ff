using static TorchSharp.torch;

namespace ConR.Training.ConR;

/// <summary>
/// ConR on depth maps (docs/conr-digest.md §1.2, NYUD2). Both variants share <see cref="ConRLoss.FromDistances"/> with
/// the official NYUD2 logic (positives |d| ≤ w excluding self, negatives d &gt; w with prediction distance ≤ w, linear
/// pushing weight e·w̄_j·d, divisor |K+|+1, no outer weight); they differ only in the label and prediction distance:
/// <list type="bullet">
/// <item><see cref="DepthConRVariant.OfficialDepth"/>: d_jk = |ȳ_j − ȳ_k| with ȳ the mean depth of map j (grid 1×1).</item>
/// <item><see cref="DepthConRVariant.Dense"/>: both maps average-pooled to G×G cells (adaptive pooling), then
/// d_jk = mean over cells of |Y_jc − Y_kc|, the mean absolute difference of the coarse depth maps.</item>
/// </list>
/// Predictions are reduced the same way (constants); the per-sample weight w̄_j is the mean pixel weight.
/// </summary>
/// <remarks>
/// Pixels without ground truth (depth ≤ 0, e.g. rotated corners) are left out of every mean: a cell's value is the
/// mean over its valid pixels (the prediction too, over the truth's valid pixels), and the distance averages only cells
/// valid in both maps (all cells if no cell is). Unlike the official code, whose mean includes such zeros; with
/// complete maps the two agree exactly, and the 1×1 grid is then the official reduction.
/// </remarks>
public static class DenseConRLoss
{
    /// <param name="features">[N, ...] flattened per sample (the head's x1 feature map).</param>
    /// <param name="truth">[N, 1, h, w] ground-truth depth in metres.</param>
    /// <param name="prediction">[N, 1, h, w] predicted depth (treated as a constant).</param>
    /// <param name="pixelWeights">[N, 1, h, w] re-weighting per pixel, or null for all ones.</param>
    /// <param name="options">Window, temperature, pushing scale (the variant is forced to OfficialDepth's logic).</param>
    /// <param name="grid">Cells per side: 1 for <see cref="DepthConRVariant.OfficialDepth"/>, G for Dense.</param>
    public static Tensor Compute(Tensor features, Tensor truth, Tensor prediction, Tensor? pixelWeights, ConROptions options, int grid)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(grid, 1);
        if (truth.dim() != 4 || !truth.shape.SequenceEqual(prediction.shape))
            throw new ArgumentException("truth and prediction must both be [N, 1, h, w]");
        using var scope = NewDisposeScope();
        var (labelDistance, predictionDistance, weights) = Distances(truth, prediction, pixelWeights, grid);
        return ConRLoss.FromDistances(features, labelDistance, predictionDistance, weights, options with { Variant = ConRVariant.OfficialDepth })
            .MoveToOuterDisposeScope();
    }

    /// <summary>Label and prediction distance matrices [N, N] and per-sample weights [N] (see the class remarks).</summary>
    public static (Tensor LabelDistance, Tensor PredictionDistance, Tensor Weights) Distances(Tensor truth, Tensor prediction, Tensor? pixelWeights, int grid)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var y = truth.detach().to_type(ScalarType.Float32);
        var p = prediction.detach().to_type(ScalarType.Float32);
        var valid = y.gt(0).to_type(ScalarType.Float32);
        long n = y.shape[0];
        var cellValid = nn.functional.adaptive_avg_pool2d(valid, [grid, grid]);
        var denominator = cellValid.clamp_min(1e-12);
        var cells = cellValid.gt(0).to_type(ScalarType.Float32).reshape(n, -1);
        var labels = (nn.functional.adaptive_avg_pool2d(y * valid, [grid, grid]) / denominator).reshape(n, -1);
        var preds = (nn.functional.adaptive_avg_pool2d(p * valid, [grid, grid]) / denominator).reshape(n, -1);
        var both = cells.unsqueeze(1) * cells.unsqueeze(0);
        var shared = both.sum(-1);
        var cellWeights = where(shared.gt(0).unsqueeze(-1), both / shared.clamp_min(1).unsqueeze(-1), 1.0 / labels.shape[1]);
        var labelDistance = ((labels.unsqueeze(1) - labels.unsqueeze(0)).abs() * cellWeights).sum(-1);
        var predictionDistance = ((preds.unsqueeze(1) - preds.unsqueeze(0)).abs() * cellWeights).sum(-1);
        var pixels = valid.reshape(n, -1).sum(1);
        var weights = pixelWeights is null
            ? ones(n, device: y.device)
            : where(pixels.gt(0), (pixelWeights.detach().to_type(ScalarType.Float32).reshape(n, -1) * valid.reshape(n, -1)).sum(1) / pixels.clamp_min(1), 1.0);
        return (labelDistance.MoveToOuterDisposeScope(), predictionDistance.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }
}
