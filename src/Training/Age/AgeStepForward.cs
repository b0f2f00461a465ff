using ConR.Training.ConR;
using static TorchSharp.torch;

namespace ConR.Training.Age;

/// <summary>
/// What one training step's forward passes hand to the losses: the L_R part, and with ConR the ConR part (its
/// predictions are used as constants). Every tensor is float32; labels and weights are [N, 1].
/// </summary>
/// <param name="RegressionPrediction">[N_R, 1] predictions L_R is computed on.</param>
/// <param name="RegressionFeatures">[N_R, D] pooled features of the same images (FDS calibrates these).</param>
/// <param name="RegressionLabels">[N_R, 1] their labels.</param>
/// <param name="RegressionWeights">[N_R, 1] their sample weights.</param>
/// <param name="FirstViewFeatures">[B, D] features of the first view only, one row per sample (RankSim).</param>
/// <param name="ConR">The ConR batch, or null without ConR.</param>
public sealed record AgeStepOutputs(
    Tensor RegressionPrediction, Tensor RegressionFeatures, Tensor RegressionLabels, Tensor RegressionWeights,
    Tensor FirstViewFeatures, ConRBatch? ConR);

/// <param name="Features">[2B, D] features of the two ConR views (view-major: all samples of one view, then the other).</param>
/// <param name="Predictions">[2B, 1] predictions of the same images, detached.</param>
/// <param name="Labels">[2B, 1] labels, repeated per view.</param>
/// <param name="Weights">[2B, 1] sample weights, repeated per view.</param>
public sealed record ConRBatch(Tensor Features, Tensor Predictions, Tensor Labels, Tensor Weights);

/// <summary>Runs a step's views through the network in the arrangement <see cref="ConRStepKind"/> names.</summary>
public static class AgeStepForward
{
    /// <param name="forward">The network: input [N, 3, S, S] to (prediction [N, 1], features [N, D]), any float type.</param>
    /// <param name="views">One [B, 3, S, S] tensor per view, already in the network's input type.</param>
    /// <param name="labels">[B, 1] float32.</param>
    /// <param name="weights">[B, 1] float32.</param>
    /// <param name="conr">Whether the step adds ConR (otherwise only views[0] is used).</param>
    /// <param name="step">How the views are arranged into forward passes.</param>
    public static AgeStepOutputs Run(
        Func<Tensor, (Tensor Prediction, Tensor Features)> forward, IReadOnlyList<Tensor> views, Tensor labels, Tensor weights, bool conr, ConRStepKind step)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(views);
        int needed = ConRStepKinds.ViewsPerSample(conr, step);
        if (views.Count != needed) throw new ArgumentException($"this step needs {needed} views per sample, got {views.Count}", nameof(views));
        long b = labels.shape[0];
        (Tensor Prediction, Tensor Features) Pass(Tensor input)
        {
            var (prediction, features) = forward(input);
            return (prediction.to_type(ScalarType.Float32), features.to_type(ScalarType.Float32));
        }
        Tensor Twice(Tensor t) => cat([t, t], 0);

        if (!conr)
        {
            var (p, f) = Pass(views[0]);
            return new AgeStepOutputs(p, f, labels, weights, f, null);
        }
        switch (step)
        {
            case ConRStepKind.Official:
            {
                // Two passes, so BatchNorm normalises the L_R view and the ConR views as separate batches.
                var (p0, f0) = Pass(views[0]);
                var (p12, f12) = Pass(cat([views[1], views[2]], 0));
                return new AgeStepOutputs(p0, f0, labels, weights, f0, new ConRBatch(f12, p12.detach(), Twice(labels), Twice(weights)));
            }
            case ConRStepKind.SingleForward:
            {
                var (p, f) = Pass(cat([views[0], views[1], views[2]], 0));
                var (p0, f0) = (p[..(int)b], f[..(int)b]);
                return new AgeStepOutputs(p0, f0, labels, weights, f0, new ConRBatch(f[(int)b..], p[(int)b..].detach(), Twice(labels), Twice(weights)));
            }
            case ConRStepKind.TwoView:
            {
                // L_R sees both views (2B predictions), ConR the same features: two backbone passes per sample.
                var (p, f) = Pass(cat([views[0], views[1]], 0));
                var (l2, w2) = (Twice(labels), Twice(weights));
                return new AgeStepOutputs(p, f, l2, w2, f[..(int)b], new ConRBatch(f, p.detach(), l2, w2));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step, "unknown ConR step");
        }
    }

    /// <summary>
    /// L = L_R + beta * L_ConR: <paramref name="regression"/> computes L_R from (prediction, labels, weights); the ConR
    /// term is added when the step has a ConR batch. Returns the total and its two parts (ConR null without ConR).
    /// </summary>
    public static (Tensor Loss, Tensor Regression, Tensor? ConR) Loss(
        AgeStepOutputs outputs, Func<Tensor, Tensor, Tensor, Tensor> regression, double beta, ConROptions options)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(regression);
        var regressionLoss = regression(outputs.RegressionPrediction, outputs.RegressionLabels, outputs.RegressionWeights);
        if (outputs.ConR is not { } c) return (regressionLoss, regressionLoss, null);
        var conr = ConRLoss.Compute(c.Features, c.Labels, c.Predictions, c.Weights, options);
        return (regressionLoss + beta * conr, regressionLoss, conr);
    }
}
