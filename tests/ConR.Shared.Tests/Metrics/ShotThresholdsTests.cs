using ConR.Shared.Metrics;

namespace ConR.Shared.Tests.Metrics;

public class ShotThresholdsTests
{
    [Theory]
    [InlineData(0, Shot.Few)]
    [InlineData(19, Shot.Few)]
    [InlineData(20, Shot.Median)]
    [InlineData(100, Shot.Median)]
    [InlineData(101, Shot.Many)]
    [InlineData(353, Shot.Many)]
    public void Classify_DefaultThresholds_StrictAtBothBoundaries(long trainCount, Shot expected)
    {
        Assert.Equal(expected, new ShotThresholds().Classify(trainCount));
    }

    [Fact]
    public void Classify_CustomThresholds_AreUsed()
    {
        var thresholds = new ShotThresholds(Many: 10, Few: 2);

        Assert.Equal(Shot.Many, thresholds.Classify(11));
        Assert.Equal(Shot.Median, thresholds.Classify(2));
        Assert.Equal(Shot.Few, thresholds.Classify(1));
    }
}
