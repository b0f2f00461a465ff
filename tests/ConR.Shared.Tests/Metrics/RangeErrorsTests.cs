using System.Text.Json;
using ConR.Shared.Metrics;

namespace ConR.Shared.Tests.Metrics;

public class RangeErrorsTests
{
    [Fact]
    public void Compute_FiveYearBins_GroupsByTrueLabelAndKeepsEmptyBins()
    {
        double[] labels = [3, 4.9, 5, 12, 24];
        double[] predictions = [6, 0.9, 5, 13, 24];

        var ranges = RangeErrors.Compute(predictions, labels, 5, 0);

        Assert.Equal(5, ranges.Count);
        // Bin [0, 5): errors 3 and 4, so MAE 3.5 and RMSE sqrt(12.5).
        Assert.Equal((0.0, 5.0, 2), (ranges[0].From, ranges[0].To, ranges[0].Count));
        Assert.Equal(3.5, ranges[0].Mae, 1e-12);
        Assert.Equal(Math.Sqrt(12.5), ranges[0].Rmse, 1e-12);
        Assert.Equal(new RangeError(5, 10, 1, 0, 0), ranges[1]);
        Assert.Equal(new RangeError(10, 15, 1, 1, 1), ranges[2]);
        Assert.Equal(15.0, ranges[3].From);
        Assert.Equal(0, ranges[3].Count);
        Assert.True(double.IsNaN(ranges[3].Mae));
        Assert.True(double.IsNaN(ranges[3].Rmse));
        Assert.Equal(new RangeError(20, 25, 1, 0, 0), ranges[4]);
    }

    [Fact]
    public void Compute_Start_ShiftsBinEdges()
    {
        var ranges = RangeErrors.Compute([0.0, 0.0], [2.0, 4.0], 5, 1);

        var range = Assert.Single(ranges);
        Assert.Equal(1.0, range.From);
        Assert.Equal(6.0, range.To);
        Assert.Equal(3.0, range.Mae);
        Assert.Equal(Math.Sqrt(10), range.Rmse, 1e-12);
    }

    [Fact]
    public void Compute_NoSamples_ReturnsEmpty()
    {
        Assert.Empty(RangeErrors.Compute([], [], 5, 0));
    }

    [Fact]
    public void Compute_NonPositiveWidth_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RangeErrors.Compute([1.0], [1.0], 0, 0));
    }

    [Fact]
    public void Serialize_EmptyRange_WritesNullMetrics()
    {
        var json = JsonSerializer.Serialize(new RangeError(15, 20, 0, double.NaN, double.NaN));

        Assert.Equal("{\"From\":15,\"To\":20,\"Count\":0,\"Mae\":null,\"Rmse\":null}", json);
    }
}
