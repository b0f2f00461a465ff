using ConR.Training.ConR;
using TorchSharp;
using static TorchSharp.torch;

namespace ConR.Training.Tests.ConR;

/// <summary>
/// Central finite differences in float64 against autograd's d loss / d features, plus gradient routing:
/// labels, predictions and weights must stay constants.
/// </summary>
public sealed class ConRLossGradientCheckTests
{
    private const double Step = 1e-6;
    private const double AbsoluteTolerance = 1e-7;
    private const double RelativeTolerance = 1e-5;

    public static TheoryData<ConRVariant> Variants => new(Enum.GetValues<ConRVariant>());

    private sealed record Case(double[] Features, long[] FeaturesShape, float[] Labels, float[] Predictions, float[] Weights,
        long[] TargetShape, ConROptions Options);

    private static Case SmallCase(ConRVariant variant)
    {
        var random = new Random(1234 + (int)variant);
        if (variant == ConRVariant.OfficialDepth)
        {
            // [B=5, C=2, H=2, W=3] features; dense [B, 1, H, W] maps with per-sample means 1.0, 1.1, 1.5, 1.55, 2.0.
            long[] shape = [5, 2, 2, 3];
            long[] targetShape = [5, 1, 2, 3];
            double[] means = [1.0, 1.1, 1.5, 1.55, 2.0];
            double[] predictionMeans = [1.3, 1.15, 1.4, 1.9, 1.75];
            var labels = new float[30];
            var predictions = new float[30];
            var weights = new float[30];
            for (var b = 0; b < 5; b++)
            {
                for (var k = 0; k < 6; k++)
                {
                    // Zero-mean pixel pattern keeps the per-sample means exact.
                    var wiggle = k % 2 == 0 ? 0.05 * (k + 1) : -0.05 * k;
                    labels[(b * 6) + k] = (float)(means[b] + wiggle);
                    predictions[(b * 6) + k] = (float)(predictionMeans[b] - wiggle);
                    weights[(b * 6) + k] = (float)(0.5 + (2.5 * random.NextDouble()));
                }
            }
            return new Case(RandomDoubles(random, 60), shape, labels, predictions, weights, targetShape, ConROptions.Depth);
        }

        float[] ages = [20, 20, 21, 23, 23, 25, 26, 30];
        float[] guesses = [22.4f, 21.1f, 20.2f, 22.7f, 24.6f, 23.3f, 24.9f, 26.2f];
        var sampleWeights = new float[ages.Length];
        for (var i = 0; i < ages.Length; i++) sampleWeights[i] = (float)(0.5 + (2.5 * random.NextDouble()));
        var options = new ConROptions { Variant = variant, Window = 1, Temperature = 0.1, PushingScale = 0.2 };
        return new Case(RandomDoubles(random, 8 * 4), [8, 4], ages, guesses, sampleWeights, [8, 1], options);
    }

    private static double[] RandomDoubles(Random random, int count)
    {
        var data = new double[count];
        for (var i = 0; i < count; i++) data[i] = (random.NextDouble() * 2) - 1;
        return data;
    }

    private static double Loss(Case c, double[] features)
    {
        using var scope = NewDisposeScope();
        var loss = ConRLoss.Compute(torch.tensor(features, c.FeaturesShape), torch.tensor(c.Labels, c.TargetShape),
            torch.tensor(c.Predictions, c.TargetShape), torch.tensor(c.Weights, c.TargetShape), c.Options);
        Assert.Equal(ScalarType.Float64, loss.dtype);
        return loss.ToDouble();
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Compute_Float64Features_GradientMatchesFiniteDifferences(ConRVariant variant)
    {
        using var scope = NewDisposeScope();
        var c = SmallCase(variant);
        var features = torch.tensor(c.Features, c.FeaturesShape, requires_grad: true);
        var loss = ConRLoss.Compute(features, torch.tensor(c.Labels, c.TargetShape), torch.tensor(c.Predictions, c.TargetShape),
            torch.tensor(c.Weights, c.TargetShape), c.Options);
        loss.backward();
        Assert.True(loss.ToDouble() > 0, "the case must contain anchors");
        Assert.NotNull(features.grad);
        var analytic = features.grad.data<double>().ToArray();

        var nonZero = 0;
        for (var i = 0; i < c.Features.Length; i++)
        {
            var plus = (double[])c.Features.Clone();
            var minus = (double[])c.Features.Clone();
            plus[i] += Step;
            minus[i] -= Step;
            var numeric = (Loss(c, plus) - Loss(c, minus)) / (2 * Step);
            var error = Math.Abs(numeric - analytic[i]);
            Assert.True(error <= AbsoluteTolerance + (RelativeTolerance * Math.Abs(numeric)),
                $"{variant}: d/dx[{i}] autograd {analytic[i]:R}, finite difference {numeric:R} (error {error:E3})");
            if (Math.Abs(numeric) > 1e-3) nonZero++;
        }
        Assert.True(nonZero > c.Features.Length / 2, $"{variant}: only {nonZero} non-trivial gradient entries");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Compute_TargetsRequireGrad_OnlyFeaturesReceiveGradient(ConRVariant variant)
    {
        using var scope = NewDisposeScope();
        var c = SmallCase(variant);
        var features = torch.tensor(c.Features, c.FeaturesShape, requires_grad: true);
        var labels = torch.tensor(c.Labels, c.TargetShape, requires_grad: true);
        var predictions = torch.tensor(c.Predictions, c.TargetShape, requires_grad: true);
        var weights = torch.tensor(c.Weights, c.TargetShape, requires_grad: true);

        var loss = ConRLoss.Compute(features, labels, predictions, weights, c.Options);
        loss.backward();

        Assert.NotNull(features.grad);
        Assert.True(features.grad.abs().sum().ToDouble() > 0);
        foreach (var (name, tensor) in new[] { ("labels", labels), ("predictions", predictions), ("weights", weights) })
        {
            var grad = tensor.grad;
            Assert.True(grad is null || grad.abs().sum().ToDouble() == 0, $"{name} received a gradient");
        }
    }
}
