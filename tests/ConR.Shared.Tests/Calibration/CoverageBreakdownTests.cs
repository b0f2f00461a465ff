using ConR.Shared.Calibration;
using ConR.Shared.Imbalance;
using ConR.Shared.Metrics;

namespace ConR.Shared.Tests.Calibration;

public class CoverageBreakdownTests
{
    // Training counts per 1-year bin 0..4: many, median, few, many, few.
    private static readonly LabelShots Shots = new(LabelHistogram.FromCounts([200, 50, 5, 300, 10], new LabelBins(1, 5)), new ShotThresholds());

    // One range [0, 5) with q = 1 at 0.9: every interval here is [1, 3] around ŷ = 2.
    private static readonly CalibrationTable OneRange = new(
        new CalibrationOptions(5, 0, [0.9]),
        [new CalibrationRange(0, 5, 40, new Dictionary<string, double> { ["0.9"] = 1 }, 1, false)],
        0,
        100);

    // y = 2.5 (few) covered, 4 (few) not, 1 (median) covered at the end, 3.5 (many) not.
    private static readonly double[] Predictions = [2, 2, 2, 2];
    private static readonly double[] Labels = [2.5, 4, 1, 3.5];

    [Fact]
    public void Measure_WithShots_CoverageOfEachTrueLabelShot()
    {
        var report = CoverageEvaluator.Measure(OneRange, Predictions, Labels, Shots);

        Assert.Equal(0.5, report.Overall["0.9"]);
        Assert.False(report.ImportanceWeighted);
        var shots = report.Shots!.ToDictionary(s => s.Shot);
        Assert.Equal((1, 0.0), (shots["many"].Count, shots["many"].Coverage["0.9"]));
        Assert.Equal((1, 1.0), (shots["median"].Count, shots["median"].Coverage["0.9"]));
        Assert.Equal((2, 0.5), (shots["few"].Count, shots["few"].Coverage["0.9"]));
        Assert.All(report.Shots!, shot => Assert.Null(shot.EffectiveCount));
        Assert.Null(report.PredictedRanges);
    }

    [Fact]
    public void Measure_Weighted_EachSampleCountsItsWeight()
    {
        var report = CoverageEvaluator.Measure(OneRange, Predictions, Labels, Shots, [1.0, 3, 2, 4]);

        // Covered weight 1 + 2 of 10; few: 1 of 1 + 3, n_eff (1 + 3)² / (1 + 9) = 1.6.
        Assert.True(report.ImportanceWeighted);
        Assert.Equal(0.3, report.Overall["0.9"], 12);
        var few = report.Shots!.Single(s => s.Shot == "few");
        Assert.Equal(0.25, few.Coverage["0.9"], 12);
        Assert.Equal(1.6, few.EffectiveCount!.Value, 12);
        Assert.Equal(100.0 / 30, report.Ranges[0].EffectiveCount!.Value, 12);
    }

    [Fact]
    public void Measure_NoSampleOfAShot_CoverageAndWidthAreNaN()
    {
        var report = CoverageEvaluator.Measure(OneRange, [2.0], [3.5], Shots);

        var few = report.Shots!.Single(s => s.Shot == "few");
        Assert.Equal(0, few.Count);
        Assert.True(double.IsNaN(few.Coverage["0.9"]));
        Assert.True(double.IsNaN(few.MedianHalfWidths["0.9"]));
    }

    [Theory]
    [InlineData(new[] { 1.0, 1, 1, 1 }, 2.0)] // lower median of 1, 2, 3, 4
    [InlineData(new[] { 1.0, 1, 1, 5 }, 4.0)] // half of 8 is first reached at the last
    [InlineData(new[] { 3.0, 1, 1, 1 }, 1.0)] // half of 6 is reached at the first
    public void Measure_MedianHalfWidth_IsTheWeightedLowerMedian(double[] weights, double expected)
    {
        // Four ranges with q = 1, 2, 3, 4; one sample in each, so the half-widths are 1, 2, 3, 4.
        var table = new CalibrationTable(
            new CalibrationOptions(5, 0, [0.9]),
            [.. Enumerable.Range(0, 4).Select(k => new CalibrationRange(5 * k, (5 * k) + 5, 40, new Dictionary<string, double> { ["0.9"] = k + 1 }, 1, false))],
            0,
            100);
        double[] predictions = [2, 7, 12, 17];

        var report = weights.All(w => w == 1)
            ? CoverageEvaluator.Measure(table, predictions, predictions)
            : CoverageEvaluator.Measure(table, predictions, predictions, shots: null, weights);

        Assert.Equal(expected, report.MedianHalfWidths!["0.9"]);
    }

    [Fact]
    public void Measure_HalfWidthNearTheLabelBound_IsHalfTheClippedInterval()
    {
        var report = CoverageEvaluator.Measure(OneRange, [0.5], [0.5]);

        Assert.Equal(0.75, report.MedianHalfWidths!["0.9"]);
    }

    [Fact]
    public void MeetsShotTarget_CountsEffectiveSamplesAndNeedsShots()
    {
        var noShots = CoverageEvaluator.Measure(OneRange, Predictions, Labels);
        var shots = CoverageEvaluator.Measure(OneRange, Predictions, Labels, Shots);

        Assert.False(noShots.MeetsShotTarget(0.9, 0.85, 1));
        Assert.False(shots.MeetsShotTarget(0.9, 0.85, 1)); // many 0 of 1
        Assert.True(shots.MeetsShotTarget(0.9, 0.85, 3)); // no shot has 3 samples: nothing to judge
        Assert.Throws<ArgumentException>(() => shots.MeetsShotTarget(0.8, 0.85, 1));
    }

    [Fact]
    public void Measure_BadWeights_Throw()
    {
        Assert.Throws<ArgumentException>(() => CoverageEvaluator.Measure(OneRange, Predictions, Labels, Shots, [1.0, 1, 1]));
        Assert.Throws<ArgumentException>(() => CoverageEvaluator.Measure(OneRange, Predictions, Labels, Shots, [1.0, 1, -1, 1]));
    }
}
