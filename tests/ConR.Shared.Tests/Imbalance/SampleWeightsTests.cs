using ConR.Shared.Imbalance;

namespace ConR.Shared.Tests.Imbalance;

public class SampleWeightsTests
{
    private static readonly double[] DigestAges = [3, 10, 20, 35, 60, 80, 90, 101];

    private static LabelHistogram AgeDb => LabelHistogram.FromCounts(AgeDbTrainCounts.PerAge, LabelBins.Age);

    public static TheoryData<ReweightMode, bool, double[]> DigestTable => new()
    {
        // conr-digest.md §2.1 "Example AgeDB weights".
        { ReweightMode.SqrtInv, false, [6.5383, 5.848, 1.3012, 0.696, 0.9614, 2.3486, 4.9425, 13.0765] },
        { ReweightMode.SqrtInv, true, [11.0526, 5.9389, 1.4067, 0.7412, 0.9978, 2.369, 5.0497, 18.7088] },
        { ReweightMode.Inverse, true, [26.9689, 23.2411, 1.5428, 0.4392, 0.7955, 4.4302, 20.3462, 26.9689] },
    };

    [Theory]
    [MemberData(nameof(DigestTable))]
    public void Create_AgeDb_MatchesDigestTable(ReweightMode mode, bool gaussianLds, double[] expected)
    {
        var weights = SampleWeights.Create(AgeDb, mode, gaussianLds ? new LdsOptions(LdsKernelKind.Gaussian, 5, 2) : null);

        for (var i = 0; i < DigestAges.Length; i++)
        {
            var actual = weights.WeightFor(DigestAges[i]);
            Assert.True(
                Math.Abs(actual - expected[i]) <= 1e-3 * expected[i],
                $"age {DigestAges[i]}: expected {expected[i]}, got {actual}");
        }
    }

    [Theory]
    [InlineData(ReweightMode.SqrtInv, false)]
    [InlineData(ReweightMode.SqrtInv, true)]
    [InlineData(ReweightMode.Inverse, false)]
    [InlineData(ReweightMode.Inverse, true)]
    public void WeightsFor_AgeDbTrainingSamples_MeanIsOne(ReweightMode mode, bool lds)
    {
        var weights = SampleWeights.Create(AgeDb, mode, lds ? new LdsOptions() : null);
        double[] trainLabels = [.. AgeDbTrainCounts.PerAge.SelectMany((n, age) => Enumerable.Repeat((double)age, (int)n))];

        var perSample = weights.WeightsFor(trainLabels);

        Assert.Equal(12_208, perSample.Length);
        Assert.Equal(1.0, perSample.Average(w => (double)w), 1e-6);
    }

    [Fact]
    public void Create_SqrtInvHandExample_ScalesInverseSqrtToMeanOne()
    {
        // n = [1, 0, 4]: v = [1, 0, 2]; s = 5 / (1/1 + 4/2) = 5/3; weights 5/3 and 5/6.
        var histogram = LabelHistogram.FromCounts([1, 0, 4], new LabelBins(1, 3));

        var weights = SampleWeights.Create(histogram, ReweightMode.SqrtInv, null);

        Assert.Equal(5 / 3.0, weights.PerBin[0], 1e-12);
        Assert.Equal(5 / 6.0, weights.PerBin[2], 1e-12);
    }

    [Fact]
    public void Create_EmptyBinWithoutSmoothing_GetsLargestFiniteWeight()
    {
        var histogram = LabelHistogram.FromCounts([1, 0, 4], new LabelBins(1, 3));

        var weights = SampleWeights.Create(histogram, ReweightMode.SqrtInv, null);

        Assert.Equal(weights.PerBin[0], weights.WeightFor(1.5));
        Assert.All(weights.PerBin, w => Assert.True(double.IsFinite(w)));
    }

    [Fact]
    public void Create_InverseHandExample_ClipsCountsToFiveAndThousand()
    {
        // n = [2, 2000]: v = [5, 1000]; s = 2002 / (2/5 + 2000/1000) = 2002 / 2.4.
        var histogram = LabelHistogram.FromCounts([2, 2000], new LabelBins(1, 2));

        var weights = SampleWeights.Create(histogram, ReweightMode.Inverse, null);

        Assert.Equal(2002 / 2.4 / 5, weights.PerBin[0], 1e-9);
        Assert.Equal(2002 / 2.4 / 1000, weights.PerBin[1], 1e-9);
    }

    [Fact]
    public void Create_None_GivesAllOnes()
    {
        var weights = SampleWeights.Create(AgeDb, ReweightMode.None, null);

        Assert.All(weights.PerBin, w => Assert.Equal(1.0, w));
        Assert.Equal([1f, 1f], weights.WeightsFor([3.0, 101.0]));
    }

    [Fact]
    public void Create_NoneWithLds_ThrowsWithClearMessage()
    {
        var error = Assert.Throws<ArgumentException>(() => SampleWeights.Create(AgeDb, ReweightMode.None, new LdsOptions()));

        Assert.Contains("LDS needs re-weighting (sqrt_inv or inverse)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_InvalidLds_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleWeights.Create(AgeDb, ReweightMode.SqrtInv, new LdsOptions(KernelSize: 4)));
    }

    [Fact]
    public void Create_EmptyHistogram_Throws()
    {
        var empty = LabelHistogram.FromCounts([0, 0], new LabelBins(1, 2));

        Assert.Throws<ArgumentException>(() => SampleWeights.Create(empty, ReweightMode.SqrtInv, null));
    }
}
