using ConR.Shared.Imbalance;
using ConR.Training.Methods;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Methods;

[Collection(SeededTorchRuns.Name)]
public sealed class BalancedMseTests
{
    [Fact]
    public void Bmc_MatchesHandValue()
    {
        using var scope = NewDisposeScope();
        // sigma^2 = 0.5, so 2 sigma^2 = 1 and logits_ij = -(p_i - y_j)^2: row 0 [0, -4] (target 0), row 1 [-1, -1] (target 1).
        var loss = BalancedMse.Bmc(tensor(new float[] { 0, 1 }), tensor(new float[] { 0, 2 }), tensor(0.5f));
        double expected = (Math.Log(1 + Math.Exp(-4)) + Math.Log(2)) / 2;
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void Bni_MatchesHandValue()
    {
        using var scope = NewDisposeScope();
        // One sample p = 1, y = 0; bins c = {0, 2} with p_b = {0.25, 0.75}; sigma^2 = 1.
        var loss = BalancedMse.Bni(tensor(new float[] { 1 }), tensor(new float[] { 0 }), tensor(1f),
            tensor(new float[] { 0, 2 }), tensor(new float[] { (float)Math.Log(0.25), (float)Math.Log(0.75) }));
        double balance = Math.Log(0.25 * Math.Exp(-0.5) + 0.75 * Math.Exp(-0.5));
        Assert.Equal((0.5 + balance) * 2, loss.item<float>(), 5);
    }

    [Fact]
    public void Gai_MatchesHandValue()
    {
        using var scope = NewDisposeScope();
        // One component N(3, v = 1), sigma^2 = 1: fit 2/2 + 0.5 log 1; balance -0.5 log 2 - (1 - 3)^2 / 4.
        var loss = BalancedMse.Gai(tensor(new float[] { 1 }), tensor(new float[] { 3 }), tensor(1f),
            tensor(new float[] { 0 }), tensor(new float[] { 3 }), tensor(new float[] { 1 }));
        double expected = (2.0 + (-0.5 * Math.Log(2) - 1.0)) * 2;
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void Bni_WithAUniformPriorOverManyBins_HasTheMseGradient()
    {
        using var scope = NewDisposeScope();
        // With a flat prior over a wide, dense grid the balancing term is constant in p, leaving d/dp = 2 (p - y) / N.
        var centres = arange(-100, 101, dtype: ScalarType.Float32);
        var logPrior = full(201, -Math.Log(201), dtype: ScalarType.Float32);
        var p = tensor(new float[] { 1, -2 }).requires_grad_();
        BalancedMse.Bni(p, tensor(new float[] { 0, 0 }), tensor(1f), centres, logPrior).backward();
        Assert.Equal(1.0, p.grad![0].item<float>(), 4);
        Assert.Equal(-2.0, p.grad![1].item<float>(), 4);
    }

    [Fact]
    public void NoiseSigma_LearnedGetsAGradientFixedDoesNot()
    {
        using var scope = NewDisposeScope();
        using var learned = new NoiseSigma(2, learned: true);
        BalancedMse.Bmc(tensor(new float[] { 0, 1, 3 }), tensor(new float[] { 0.5f, 2, 2 }), learned.Variance()).backward();
        Assert.NotNull(learned.Sigma.grad);
        Assert.NotEqual(0f, learned.Sigma.grad!.item<float>());

        using var fixedSigma = new NoiseSigma(2, learned: false);
        Assert.False(fixedSigma.Variance().requires_grad);
    }

    [Fact]
    public void BmcPixels_CapsThePairedPixelsWithASeededSubset()
    {
        using var scope = NewDisposeScope();
        var p = randn(1000);
        var y = randn(1000);
        var noise = tensor(1f);
        var a = BalancedMse.BmcPixels(p, y, noise, maxPixels: 64, seed: 7).item<float>();
        var b = BalancedMse.BmcPixels(p, y, noise, maxPixels: 64, seed: 7).item<float>();
        Assert.Equal(a, b);
        // The same subset drawn by hand gives the same loss.
        using var generator = new Generator(7);
        var subset = randperm(1000, generator: generator)[..64];
        Assert.Equal(BalancedMse.Bmc(p.index_select(0, subset), y.index_select(0, subset), noise).item<float>(), a, 6);
        // Under the cap every pixel is used.
        Assert.Equal(BalancedMse.Bmc(p[..50], y[..50], noise).item<float>(), BalancedMse.BmcPixels(p[..50], y[..50], noise, 64, 7).item<float>(), 6);
    }

    [Fact]
    public void BalancedMseLoss_Bni_UsesTheOccupiedBinsAsPrior()
    {
        using var scope = NewDisposeScope();
        var labels = new double[] { 20, 20, 20, 30 };
        var histogram = LabelHistogram.FromLabels(labels, LabelBins.Age);
        using var loss = BalancedMseLoss.Create(BalancedMseKind.Bni, 1, false, histogram, labels, null, 1, CPU);
        var value = loss.Compute(tensor(new float[] { 25 }, [1, 1]), tensor(new float[] { 30 }, [1, 1])).item<float>();
        double balance = Math.Log(0.75 * Math.Exp(-12.5) + 0.25 * Math.Exp(-12.5));
        Assert.Equal((12.5 + balance) * 2, value, 4);
    }

    [Fact]
    public void GaussianMixture_RecoversTwoClustersDeterministically()
    {
        var rng = new Random(11);
        double Normal(double mean, double sd) => mean + sd * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var data = Enumerable.Range(0, 600).Select(_ => Normal(20, 2)).Concat(Enumerable.Range(0, 200).Select(_ => Normal(60, 4))).ToList();

        var mixture = GaussianMixture1D.Fit(data, 2, seed: 3);

        Assert.InRange(mixture.Means[0], 19.5, 20.5);
        Assert.InRange(mixture.Means[1], 59, 61);
        Assert.Equal(0.75, mixture.Weights[0], 2);
        Assert.InRange(Math.Sqrt(mixture.Variances[0]), 1.7, 2.3);
        Assert.InRange(Math.Sqrt(mixture.Variances[1]), 3.4, 4.6);
        Assert.Equal(mixture.Means, GaussianMixture1D.Fit(data, 2, seed: 3).Means);
        Assert.True(mixture.MeanLogLikelihood(data) > GaussianMixture1D.Fit(data, 1, seed: 3).MeanLogLikelihood(data));
    }

    [Fact]
    public void GaussianMixture_IntegerLabelsWithMoreComponentsThanValues_StaysFinite()
    {
        var mixture = GaussianMixture1D.Fit([5, 5, 5, 6, 6], 4, seed: 1);
        Assert.All(mixture.Weights.Concat(mixture.Means).Concat(mixture.Variances), v => Assert.True(double.IsFinite(v)));
        Assert.Equal(1.0, mixture.Weights.Sum(), 9);
    }
}
