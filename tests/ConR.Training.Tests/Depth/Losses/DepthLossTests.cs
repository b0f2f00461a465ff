using ConR.Training.ConR;
using ConR.Training.Depth.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Depth.Losses;

/// <summary>Hand-checkable values of the depth losses: weighted MSE/L1, Balanced MSE (BNI) and both ConR variants.</summary>
public sealed class DepthLossTests
{
    private static Tensor Maps(int n, int h, int w, params float[] values) => tensor(values, [n, 1, h, w]);

    [Fact]
    public void Regression_WeightedMseAndL1_AverageOverValidPixels()
    {
        using var scope = NewDisposeScope();
        var prediction = Maps(1, 2, 2, 1, 2, 3, 4);
        var target = Maps(1, 2, 2, 1, 0, 2, 2); // the 0 is a hole
        var weights = Maps(1, 2, 2, 1, 0, 2, 1);
        // MSE: (0*1 + 4*0 + 1*2 + 4*1) / 3 valid pixels; L1: (0 + 0 + 1*2 + 2*1) / 3.
        Assert.Equal(2.0, DepthRegressionLoss.Compute(DepthLossKind.Mse, prediction, target, weights).ToDouble(), 6);
        Assert.Equal(4.0 / 3, DepthRegressionLoss.Compute(DepthLossKind.L1, prediction, target, weights).ToDouble(), 6);
    }

    [Fact]
    public void Bni_TwoBins_MatchesTheFormulaByHand()
    {
        using var scope = NewDisposeScope();
        // Bins [0,1) and [1,2): centres 0.5 and 1.5, prior 0.25 / 0.75, sigma 1, only depths >= 0.7 count.
        var bni = BalancedMseBni.FromPixelCounts([1, 3], binWidth: 1, binStart: 0, bucketStart: 0, sigma: 1, minDepth: 0.7);
        var prediction = Maps(1, 2, 2, 1.0f, 0.5f, 3f, 9f);
        var target = Maps(1, 2, 2, 1.2f, 1.5f, 0.5f, 0f); // the last two are below 0.7 m or holes
        double first = (0.04 / 2) + Math.Log((0.25 * Math.Exp(-0.125)) + (0.75 * Math.Exp(-0.125)));
        double second = (1.0 / 2) + Math.Log(0.25 + (0.75 * Math.Exp(-0.5)));
        double expected = (first + second) * 2 / 2; // times 2 sigma^2, mean of two pixels
        Assert.Equal(expected, bni.Compute(prediction, target).ToDouble(), 5);
    }

    [Fact]
    public void Bni_BinsBelowTheBucketStart_TakeItsCount_AndEmptyBinsStayFinite()
    {
        var bni = BalancedMseBni.FromPixelCounts([0, 0, 5, 5, 0], binWidth: 0.1, binStart: 0, bucketStart: 2, sigma: 1, minDepth: 0.7);
        Assert.Equal(Math.Log(5.0 / 20), bni.LogPrior[0], 5);
        Assert.Equal(Math.Log(5.0 / 20), bni.LogPrior[2], 5);
        Assert.True(float.IsFinite(bni.LogPrior[4]));
        Assert.Equal(0.05, bni.Centres[0], 5);
        Assert.Equal(0.45, bni.Centres[4], 5);
    }

    [Fact]
    public void Bni_NoQualifyingPixel_IsZeroWithAGradient()
    {
        using var scope = NewDisposeScope();
        var bni = BalancedMseBni.FromPixelCounts([1, 1], 1, 0, 0, 1, 0.7);
        var prediction = Maps(1, 1, 2, 1f, 2f).requires_grad_(true);
        var loss = bni.Compute(prediction, Maps(1, 1, 2, 0.5f, 0f));
        loss.backward();
        Assert.Equal(0.0, loss.ToDouble());
        Assert.Equal(0.0, prediction.grad!.abs().sum().ToDouble());
    }

    private static readonly ConROptions Unit = new() { Window = 0.2, Temperature = 1, PushingScale = 1, Variant = ConRVariant.OfficialDepth };

    // Features of A, B, C: A and C point the same way (cosine 1), B is orthogonal to both (cosine 0).
    private static Tensor Features() => tensor(new float[] { 1, 0, 0, 1, 1, 0 }, [3, 2]);

    [Fact]
    public void Dense_ThreeMapsByHand_MatchesTheOfficialDepthFormula()
    {
        using var scope = NewDisposeScope();
        // 2x2 maps on a 2x2 grid (one pixel per cell): d_AB = 0.1, d_AC = 1, d_BC = 0.9; equal predictions make every
        // non-positive pair a negative. A: K+ = {B}, K- = {C}: D = e^0 + (3 - 1) + (1*1*1) e^1, loss 1/2 log D.
        // B: K+ = {A}, K- = {C} with S = 0.9 and cosine 0: D = 1 + 2 + 0.9. C has no positive: 0.
        var truth = Maps(3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1.4f, 2, 2, 2, 2);
        var prediction = Maps(3, 2, 2, Enumerable.Repeat(1.5f, 12).ToArray());
        var loss = DenseConRLoss.Compute(Features(), truth, prediction, null, Unit, grid: 2);
        double expected = ((0.5 * Math.Log(3 + Math.E)) + (0.5 * Math.Log(3.9))) / 3;
        Assert.Equal(expected, loss.ToDouble(), 5);
    }

    [Fact]
    public void Dense_MapsWithEqualMeansButDifferentLayouts_AreNotPositives_UnlikeOfficialDepth()
    {
        using var scope = NewDisposeScope();
        // B has A's mean (1 m) but differs by 0.3 m per cell on average: OfficialDepth pairs A and B, Dense does not.
        var truth = Maps(3, 2, 2, 1, 1, 1, 1, 1.6f, 1, 1, 0.4f, 2, 2, 2, 2);
        var prediction = Maps(3, 2, 2, Enumerable.Repeat(1.5f, 12).ToArray());
        var dense = DenseConRLoss.Compute(Features(), truth, prediction, null, Unit, grid: 2).ToDouble();
        var official = DenseConRLoss.Compute(Features(), truth, prediction, null, Unit, grid: 1).ToDouble();
        Assert.Equal(0.0, dense, 6);
        Assert.Equal(((0.5 * Math.Log(3 + Math.E)) + (0.5 * Math.Log(4))) / 3, official, 5);
    }

    [Fact]
    public void GridOfOne_OnCompleteMaps_EqualsConRLossOfficialDepth()
    {
        using var scope = NewDisposeScope();
        var random = new Random(4);
        float[] Random(int count, double lo, double hi) => Enumerable.Range(0, count).Select(_ => (float)(lo + (random.NextDouble() * (hi - lo)))).ToArray();
        var features = tensor(Random(8 * 5 * 3 * 4, -1, 1), [8, 5, 3, 4]);
        var truth = tensor(Random(8 * 12, 1, 3), [8, 1, 3, 4]);
        var prediction = tensor(Random(8 * 12, 1, 3), [8, 1, 3, 4]);
        var weights = tensor(Random(8 * 12, 0.5, 2), [8, 1, 3, 4]);
        var options = ConROptions.Depth with { Window = 0.1 };
        var expected = ConRLoss.Compute(features, truth, prediction, weights, options).ToDouble();
        var actual = DenseConRLoss.Compute(features, truth, prediction, weights, options, grid: 1).ToDouble();
        Assert.True(expected > 0);
        Assert.Equal(expected, actual, 5);
    }

    [Fact]
    public void Distances_LeaveHolesOut_OfCellMeansAndOfTheComparison()
    {
        using var scope = NewDisposeScope();
        // A has a hole where B reads 5 m: the shared cells agree, so the dense distance is 0, and A's mean is 1 (not 0.75).
        var truth = Maps(2, 2, 2, 1, 1, 1, 0, 1, 1, 1, 5);
        var (dense, _, _) = DenseConRLoss.Distances(truth, truth, null, 2);
        var (official, _, _) = DenseConRLoss.Distances(truth, truth, null, 1);
        Assert.Equal(0.0, dense[0, 1].ToDouble(), 6);
        Assert.Equal((1 + 1 + 1 + 5) / 4.0 - 1, official[0, 1].ToDouble(), 5);
    }

    [Fact]
    public void Distances_PoolToTheGrid_AndAverageCellDifferences()
    {
        using var scope = NewDisposeScope();
        // 4x4 maps, grid 2: A's cells are 1, 2, 3, 4 (2x2 blocks); B is 1 everywhere: mean |diff| = (0 + 1 + 2 + 3) / 4.
        var a = new float[] { 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4 };
        var truth = tensor(a.Concat(Enumerable.Repeat(1f, 16)).ToArray(), [2, 1, 4, 4]);
        var weights = tensor(Enumerable.Repeat(2f, 16).Concat(Enumerable.Repeat(1f, 16)).ToArray(), [2, 1, 4, 4]);
        var (labels, predictions, sampleWeights) = DenseConRLoss.Distances(truth, truth * 2, weights, 2);
        Assert.Equal(1.5, labels[0, 1].ToDouble(), 6);
        Assert.Equal(3.0, predictions[0, 1].ToDouble(), 6);
        Assert.Equal(0.0, labels[1, 1].ToDouble(), 6);
        Assert.Equal([2f, 1f], sampleWeights.data<float>().ToArray());
    }

    [Fact]
    public void Dense_GradientFlowsThroughTheFeaturesOnly()
    {
        using var scope = NewDisposeScope();
        var features = Features().requires_grad_(true);
        var truth = Maps(3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1.4f, 2, 2, 2, 2);
        var prediction = Maps(3, 2, 2, Enumerable.Repeat(1.5f, 12).ToArray()).requires_grad_(true);
        var loss = DenseConRLoss.Compute(features, truth, prediction, null, Unit, grid: 2);
        loss.backward();
        Assert.True(features.grad!.abs().sum().ToDouble() > 0);
        Assert.Null(prediction.grad);
    }
}
