using ConR.Training.Depth.Export;

namespace ConR.Training.Tests.Depth.Export;

public sealed class DepthModelPackagerTests
{
    [Fact]
    public void ValidPixels_DropsHolesAndNonFiniteTruth_KeepingOrder()
    {
        float[][] truth = [[1f, 0f, 2f], [float.NaN, 3f]];
        float[][] prediction = [[1.5f, 9f, 2.5f], [9f, float.NaN]];
        var (p, y) = DepthModelPackager.ValidPixels(prediction, truth);
        Assert.Equal([1f, 2f, 3f], y);
        Assert.Equal([1.5f, 2.5f, 0f], p); // a non-finite prediction is scored as 0 m, never dropped
    }

    [Fact]
    public void RangeErrorsByTruth_GroupsByTrueDepth_WithEmptyRangesBetween()
    {
        var ranges = DepthModelPackager.RangeErrorsByTruth([1.1f, 0.9f, 2.6f], [1.2f, 1.3f, 2.7f], 0.5);
        Assert.Equal(4, ranges.Count); // [1, 1.5), [1.5, 2), [2, 2.5), [2.5, 3)
        Assert.Equal(1.0, ranges[0].From, 9);
        Assert.Equal(2, ranges[0].Count);
        Assert.Equal(0.25, ranges[0].Mae, 5);
        Assert.Equal(Math.Sqrt((0.01 + 0.16) / 2), ranges[0].Rmse, 5);
        Assert.Equal(0, ranges[1].Count);
        Assert.True(double.IsNaN(ranges[1].Mae));
        Assert.Equal(1, ranges[3].Count);
    }
}
