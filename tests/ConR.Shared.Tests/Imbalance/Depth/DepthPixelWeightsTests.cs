using ConR.Shared.Imbalance;
using ConR.Shared.Imbalance.Depth;

namespace ConR.Shared.Tests.Imbalance.Depth;

public class DepthPixelWeightsTests
{
    // NYUD2-like shape: nothing below 0.7 m, a peak around 2-3 m, a long thin tail.
    private static readonly long[] Counts = [.. Enumerable.Range(0, 100).Select(b => b < 7 ? 0L : (long)(1e8 * Math.Exp(-Math.Pow((b - 25) / 12.0, 2))) + 1000)];

    public static TheoryData<ReweightMode, bool> Settings => new()
    {
        { ReweightMode.Inverse, false },
        { ReweightMode.Inverse, true },
        { ReweightMode.SqrtInv, false },
        { ReweightMode.SqrtInv, true },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void PerBin_PixelWeightedMeanIsOne(ReweightMode mode, bool lds)
    {
        var weights = DepthPixelWeights.PerBin(Counts, mode, lds ? new LdsOptions() : null);

        var mean = Counts.Select((n, b) => n * (double)weights[b]).Sum() / Counts.Sum();
        Assert.Equal(1.0, mean, 5);
    }

    [Theory]
    [InlineData(ReweightMode.Inverse)]
    [InlineData(ReweightMode.SqrtInv)]
    public void PerBin_WithoutLds_IsMonotoneDecreasingInCount(ReweightMode mode)
    {
        var weights = DepthPixelWeights.PerBin(Counts, mode, null);

        var order = Enumerable.Range(7, 93).OrderBy(b => Counts[b]).ToArray();
        for (var i = 1; i < order.Length; i++)
        {
            Assert.True(weights[order[i]] <= weights[order[i - 1]], $"bin {order[i]} vs {order[i - 1]}");
        }
    }

    [Fact]
    public void PerBin_InverseUsesRawCounts_SqrtInvTheirRoots()
    {
        long[] counts = [0, 100, 400];

        var inverse = DepthPixelWeights.PerBin(counts, ReweightMode.Inverse, null, bucketStart: 1);
        var sqrt = DepthPixelWeights.PerBin(counts, ReweightMode.SqrtInv, null, bucketStart: 1);

        // Inverse: s = 500 / (1 + 1) = 250, weights 2.5 and 0.625 (no clip at 1000 either way).
        Assert.Equal([2.5f, 2.5f, 0.625f], inverse);
        // SqrtInv: v = 10, 20; s = 500 / (10 + 20) = 50/3; weights 5/3 and 5/6.
        Assert.Equal(5 / 3f, sqrt[1], 5);
        Assert.Equal(5 / 6f, sqrt[2], 5);
        Assert.Equal(sqrt[1], sqrt[0]);
    }

    [Fact]
    public void PerBin_Lds_SmoothsOnlyFromBucketStartWithReflect()
    {
        long[] counts = [0, 0, 10, 20, 40];
        var lds = new LdsOptions(LdsKernelKind.Triang, 3, 1); // window [0.5, 1, 0.5]

        var weights = DepthPixelWeights.PerBin(counts, ReweightMode.Inverse, lds, bucketStart: 2);

        // Reflect over [10, 20, 40]: 0.5·10 + 10 + 0.5·20 = 25; 5 + 20 + 20 = 45; 10 + 40 + 20 = 70.
        double[] smoothed = [25, 25, 25, 45, 70];
        var scale = 70 / ((10 / 25.0) + (20 / 45.0) + (40 / 70.0));
        for (var b = 0; b < 5; b++)
        {
            Assert.Equal(scale / smoothed[b], weights[b], 4);
        }
    }

    [Fact]
    public void PerBin_None_IsAllOnes_AndRefusesLds()
    {
        Assert.All(DepthPixelWeights.PerBin(Counts, ReweightMode.None, null), w => Assert.Equal(1f, w));
        Assert.Throws<ArgumentException>(() => DepthPixelWeights.PerBin(Counts, ReweightMode.None, new LdsOptions()));
    }

    [Fact]
    public void PerBin_InvalidInput_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DepthPixelWeights.PerBin([1, 2], ReweightMode.Inverse, null, bucketStart: 2));
        Assert.Throws<ArgumentException>(() => DepthPixelWeights.PerBin([5, 0, 0], ReweightMode.Inverse, null, bucketStart: 1));
        Assert.Throws<ArgumentException>(() => DepthPixelWeights.PerBin([-1, 2], ReweightMode.Inverse, null, bucketStart: 0));
    }

    [Fact]
    public void PerPixel_LooksUpTheTruthBin_AndZeroesInvalidPixels()
    {
        var bins = new LabelBins(0.1, 100);
        var perBin = Enumerable.Range(0, 100).Select(b => (float)b).ToArray();
        float[] depth = [0.35f, 2.0f, 12f, 0f, float.NaN];
        var destination = new float[depth.Length];

        DepthPixelWeights.PerPixel(depth, perBin, bins, destination);

        Assert.Equal([3f, 20f, 99f, 0f, 0f], destination);
    }
}
