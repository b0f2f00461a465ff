using ConR.Training.Methods;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Methods;

[Collection(SeededTorchRuns.Name)]
public sealed class RankSimTests
{
    [Fact]
    public void NormalizedRanks_LargestFirstAndLaterIndexFirstOnTies()
    {
        using var scope = NewDisposeScope();
        Assert.Equal([1 / 3f, 1, 2 / 3f], RankSim.NormalizedRanks(tensor(new float[] { 0.3f, 0.1f, 0.2f })).data<float>().ToArray());
        Assert.Equal([2 / 3f, 1 / 3f, 1], RankSim.NormalizedRanks(tensor(new float[] { 1, 1, 0 })).data<float>().ToArray());
    }

    [Fact]
    public void BlackboxRanker_Backward_IsTheInterpolatedRankDifference()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 0.3f, 0.1f, 0.2f }).requires_grad_();
        var ranks = BlackboxRanker.apply(x, 2.0);
        Assert.Equal([1 / 3f, 1, 2 / 3f], ranks.data<float>().ToArray());

        // L = rank_norm(x)_1. x' = x + 2 * [0, 1, 0] = [0.3, 2.1, 0.2] ranks to [2/3, 1/3, 1];
        // dL/dx = -([1/3, 1, 2/3] - [2/3, 1/3, 1]) / 2 = [1/6, -1/3, 1/6].
        (ranks * tensor(new float[] { 0, 1, 0 })).sum().backward();
        var grad = x.grad!.data<float>().ToArray();
        Assert.Equal(1 / 6.0, grad[0], 6);
        Assert.Equal(-1 / 3.0, grad[1], 6);
        Assert.Equal(1 / 6.0, grad[2], 6);
    }

    [Fact]
    public void BlackboxRanker_RanksRowsIndependently()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 0.3f, 0.1f, 0.2f, 0.1f, 0.2f, 0.3f }, [2, 3]).requires_grad_();
        var ranks = BlackboxRanker.apply(x, 2.0);
        (ranks * tensor(new float[] { 0, 1, 0, 0, 0, 0 }, [2, 3])).sum().backward();
        Assert.Equal([1 / 6f, -1 / 3f, 1 / 6f, 0, 0, 0], x.grad!.data<float>().ToArray().Select(v => MathF.Round(v, 6)).ToArray(),
            new FloatTolerance(1e-6f));
    }

    [Fact]
    public void Compute_FeaturesOrderedLikeLabels_GiveZero()
    {
        using var scope = NewDisposeScope();
        var loss = RankSim.Compute(AtAngles(0, 10, 30), tensor(new float[] { 0, 1, 3 }), 2, new Random(1));
        Assert.Equal(0f, loss.item<float>());
    }

    [Fact]
    public void Compute_MatchesHandValueAndPushesTheFeatures()
    {
        using var scope = NewDisposeScope();
        // Labels 0, 1, 2 at angles 0, 50, 20 degrees: rows 0 and 2 each misrank one pair (2/27 each), row 1 is a tie in
        // label distance broken the same way as the similarities (0).
        var features = AtAngles(0, 50, 20).requires_grad_();
        var loss = RankSim.Compute(features, tensor(new float[] { 0, 1, 2 }), 2, new Random(1));
        Assert.Equal(4 / 27.0, loss.item<float>(), 6);
        loss.backward();
        Assert.True(features.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Compute_KeepsOneSamplePerLabel()
    {
        using var scope = NewDisposeScope();
        // Samples 1 and 2 share label 1 and features: whichever is kept, the loss is that of the three distinct labels.
        var duplicated = RankSim.Compute(AtAngles(0, 50, 50, 20), tensor(new float[] { 0, 1, 1, 2 }), 2, new Random(5));
        Assert.Equal(4 / 27.0, duplicated.item<float>(), 6);
        // A batch with a single label has nothing to rank.
        Assert.Equal(0f, RankSim.Compute(AtAngles(0, 50), tensor(new float[] { 4, 4 }), 2, new Random(1)).item<float>());
    }

    private static Tensor AtAngles(params double[] degrees) =>
        tensor(degrees.SelectMany(d => new[] { (float)Math.Cos(d * Math.PI / 180), (float)Math.Sin(d * Math.PI / 180) }).ToArray(), [degrees.Length, 2]);

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
