using ConR.Training.Depth.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Depth.Losses;

/// <summary>
/// Balanced MSE reads its logsumexp normaliser from a Hermite table: loss and gradient must equal the pixels × bins
/// formula it replaces, in double precision, over the whole range a prediction can take (bins like SynthDepth's).
/// </summary>
public sealed class BniNormaliserTests
{
    // 100 bins of 0.1 m from 0 with a long-tailed prior, minDepth 0.7, as a depth run builds it.
    private static BalancedMseBni Loss(double sigma) =>
        BalancedMseBni.FromPixelCounts(Enumerable.Range(0, 100).Select(b => (long)(1 + (1e6 * Math.Exp(-Math.Abs(b - 25) / 8.0)))).ToArray(), 0.1, 0, 7, sigma, 0.7);

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.3)]
    public void Compute_EqualsTheExactFormula_InValueAndGradient(double sigma)
    {
        using var scope = NewDisposeScope();
        var bni = Loss(sigma);
        var generator = new Random(3);
        // Predictions from 0 to 13 m (past the last bin centre, inside the table for both sigmas), targets 0.7 to 10 m.
        var p = Enumerable.Range(0, 4000).Select(_ => 13 * generator.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 4000).Select(_ => 0.7 + (9.3 * generator.NextDouble())).ToArray();

        var prediction = tensor(p, [1, 1, 40, 100], ScalarType.Float64).requires_grad_(true);
        var viaTable = bni.Compute(prediction.to_type(ScalarType.Float32), tensor(y, [1, 1, 40, 100]).to_type(ScalarType.Float32));
        viaTable.backward();
        var tableGradient = prediction.grad!.data<double>().ToArray();

        var (exact, exactGradient) = Exact(bni, p, y);
        Assert.Equal(exact, viaTable.ToDouble(), 1e-5 * Math.Abs(exact));
        for (var i = 0; i < p.Length; i++)
        {
            Assert.True(Math.Abs(exactGradient[i] - tableGradient[i]) <= 1e-6 + (1e-4 * Math.Abs(exactGradient[i])),
                $"pixel {i} (ŷ {p[i]:F4}, y {y[i]:F4}): gradient {tableGradient[i]} against {exactGradient[i]}");
        }
    }

    [Fact]
    public void Compute_PredictionFarBeyondTheTable_StaysFinite_AndIsPulledTowardsTheTarget()
    {
        using var scope = NewDisposeScope();
        var prediction = tensor(new float[] { 80f }, [1, 1, 1, 1]).requires_grad_(true);

        var loss = Loss(1).Compute(prediction, tensor(new float[] { 3f }, [1, 1, 1, 1]));
        loss.backward();

        Assert.True(double.IsFinite(loss.ToDouble()));
        Assert.True(prediction.grad!.ToSingle() > 0, "a prediction far above the target must get a gradient that lowers it");
    }

    // L = mean_i [ (ŷ − y)²/(2σ²) + logsumexp_b( log p_b − (ŷ − c_b)²/(2σ²) ) ] · 2σ², and dL/dŷ_i by hand, in double.
    private static (double Loss, double[] Gradient) Exact(BalancedMseBni bni, double[] p, double[] y)
    {
        var twoVar = 2 * bni.Sigma * bni.Sigma;
        var n = p.Length;
        double total = 0;
        var gradient = new double[n];
        for (var i = 0; i < n; i++)
        {
            var logits = bni.Centres.Select((c, b) => bni.LogPrior[b] - ((p[i] - c) * (p[i] - c) / twoVar)).ToArray();
            var max = logits.Max();
            var weights = logits.Select(l => Math.Exp(l - max)).ToArray();
            var sum = weights.Sum();
            var meanCentre = weights.Select((w, b) => w * bni.Centres[b]).Sum() / sum;
            total += (((p[i] - y[i]) * (p[i] - y[i]) / twoVar) + max + Math.Log(sum)) * twoVar;
            gradient[i] = ((p[i] - y[i]) * 2 / twoVar + ((meanCentre - p[i]) * 2 / twoVar)) * twoVar / n;
        }

        return (total / n, gradient);
    }
}
