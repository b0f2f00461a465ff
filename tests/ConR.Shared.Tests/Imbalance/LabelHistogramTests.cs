using ConR.Shared.Imbalance;

namespace ConR.Shared.Tests.Imbalance;

public class LabelHistogramTests
{
    [Fact]
    public void FromLabels_CountsPerFlooredClampedBin()
    {
        var histogram = LabelHistogram.FromLabels([3.0, 3.7, 4.0, 130.0, 120.0], LabelBins.Age);

        Assert.Equal(2, histogram[3]);
        Assert.Equal(1, histogram[4]);
        Assert.Equal(2, histogram[120]);
        Assert.Equal(0, histogram[0]);
        Assert.Equal(5, histogram.Total);
        Assert.Equal(121, histogram.Counts.Count);
        Assert.Equal(2, histogram.CountFor(3.2));
        Assert.Same(LabelBins.Age, histogram.Bins);
    }

    [Fact]
    public void FromCounts_AgeDb_TotalIsTrainSplitSize()
    {
        var histogram = LabelHistogram.FromCounts(AgeDbTrainCounts.PerAge, LabelBins.Age);

        Assert.Equal(12_208, histogram.Total);
        Assert.Equal(353, histogram.CountFor(35));
    }

    [Fact]
    public void FromCounts_WrongLengthOrNegative_Throws()
    {
        Assert.Throws<ArgumentException>(() => LabelHistogram.FromCounts([1, 2], LabelBins.Age));
        Assert.Throws<ArgumentException>(() => LabelHistogram.FromCounts([1, -1], new LabelBins(1, 2)));
    }
}
