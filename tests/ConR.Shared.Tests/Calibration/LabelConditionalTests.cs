using ConR.Shared.Calibration;
using Xunit.Abstractions;

namespace ConR.Shared.Tests.Calibration;

public class LabelConditionalTests(ITestOutputHelper output)
{
    // Keyed by label: [0, 5) allows residuals up to 1/2/3, [5, 10) up to 3, [10, 15) up to 10 (levels 0.8/0.9/0.95 share them).
    private static readonly CalibrationTable Table = new(
        new CalibrationOptions(5, 0, [0.8, 0.9, 0.95], KeyedBy: CalibrationKeys.Label),
        [
            new CalibrationRange(0, 5, 40, Widths(1, 1, 1), 1, false),
            new CalibrationRange(5, 10, 40, Widths(3, 3, 3), 1, false),
            new CalibrationRange(10, 15, 40, Widths(10, 10, 10), 1, false),
        ],
        0,
        100);

    [Fact]
    public void Fit_KeyedByLabel_GroupsByTheTrueLabel()
    {
        // Every prediction is 50; the labels lie in [10, 15) (residual ~38) and [80, 85) (residual ~32).
        double[] predictions = [.. Enumerable.Repeat(50.0, 80)];
        double[] labels = [.. Enumerable.Range(0, 80).Select(i => i < 40 ? 12.0 : 82.0)];

        var byLabel = ConformalCalibrator.Fit(predictions, labels, CalibrationOptions.Age.KeyedOn(CalibrationKeys.Label) with { ScaleBandwidth = null }, 0, 100);
        var byPrediction = ConformalCalibrator.Fit(predictions, labels, CalibrationOptions.Age, 0, 100);

        Assert.Equal([(10.0, 15.0, 40), (80.0, 85.0, 40)], byLabel.Ranges.Select(r => (r.From, r.To, r.ValCount)));
        Assert.Equal([38.0, 32.0], byLabel.Ranges.Select(r => r.HalfWidths["0.9"]));
        Assert.Equal((50.0, 55.0, 80), Shape(Assert.Single(byPrediction.Ranges)));
    }

    [Theory]
    [InlineData(6, 5, 16)] // [0, 5): only y = 5 (|5 − 6| ≤ 1); [5, 10): [5, 9]; [10, 15) and beyond: [10, 16]
    [InlineData(2, 1, 12)] // [1, 3]; [5, 5]; [10, 12]
    [InlineData(30, 20, 40)] // only the last range reaches: its domain [10, 100] ∩ [20, 40]
    [InlineData(0, 0, 10)] // [0, 1]; [5, 3]: none; [10, 10]
    public void Interval_KeyedByLabel_IsTheHullOfTheConsistentLabels(double prediction, double lower, double upper)
    {
        var interval = Table.Interval(prediction, 0.9);

        Assert.Equal((lower, upper), (interval.Lower, interval.Upper));
        Assert.Null(interval.Range);
    }

    [Fact]
    public void Interval_KeyedByLabel_NoConsistentLabel_CollapsesOnTheClampedPrediction()
    {
        Assert.Equal((0.0, 0.0), Bounds(Table.Interval(-50, 0.9)));
        Assert.Equal((100.0, 100.0), Bounds(Table.Interval(500, 0.9)));
    }

    [Fact]
    public void Interval_KeyedByLabelWithGap_LabelsInTheGapUseTheNearerRange()
    {
        // [0, 5) q = 1 and [20, 25) q = 2: labels in the gap up to 12.5 use q = 1, above it q = 2.
        var gapped = new CalibrationTable(
            new CalibrationOptions(5, 0, [0.9], KeyedBy: CalibrationKeys.Label),
            [new CalibrationRange(0, 5, 40, new Dictionary<string, double> { ["0.9"] = 1 }, 1, false), new CalibrationRange(20, 25, 40, new Dictionary<string, double> { ["0.9"] = 2 }, 1, false)],
            0,
            100);

        Assert.Equal((9.0, 11.0), Bounds(gapped.Interval(10, 0.9))); // [8, 12] would reach 12.5 only with q = 2
        Assert.Equal((11.0, 14.0), Bounds(gapped.Interval(12, 0.9))); // [11, 12.5] with q = 1, [12.5, 14] with q = 2
        Assert.Equal((11.5, 14.5), Bounds(gapped.Interval(12.5, 0.9)));
    }

    [Fact]
    public void HalfWidths_KeyedByLabel_SymmetricWidthThatContainsTheInterval()
    {
        float[] predictions = [.. Enumerable.Range(-20, 300).Select(i => i * 0.1f), float.NaN];
        var destination = new float[predictions.Length];

        Table.HalfWidths(predictions, 0.9, destination);

        Assert.True(float.IsNaN(destination[^1]));
        for (var i = 0; i < predictions.Length - 1; i++)
        {
            var interval = Table.Interval(predictions[i], 0.9);
            var expected = Math.Max(predictions[i] - interval.Lower, interval.Upper - predictions[i]);
            Assert.Equal((float)expected, destination[i]);
            Assert.True(destination[i] >= 0);
        }

        Assert.Equal(10f, destination[Array.IndexOf(predictions, 6f)]);
    }

    [Fact]
    public void Measure_KeyedByLabel_CoversEveryTrueLabelRangeOnHeteroscedasticData()
    {
        var (valP, valY, testP, testY) = HeteroscedasticData.ValTest();
        var table = ConformalCalibrator.Fit(valP, valY, CalibrationOptions.Age.KeyedOn(CalibrationKeys.Label), HeteroscedasticData.LabelMin, HeteroscedasticData.LabelMax);

        var report = CoverageEvaluator.Measure(table, testP, testY);

        output.WriteLine($"overall {report.Overall["0.9"]:F4}");
        foreach (var range in report.Ranges)
        {
            output.WriteLine($"true [{range.From}, {range.To}) n {range.Count}: {range.Coverage["0.9"]:F3}");
        }

        // Coverage is guaranteed per TRUE-label range; the hull adds a little on top of the nominal level.
        Assert.InRange(report.Overall["0.9"], 0.88, 0.94);
        Assert.All(report.Ranges.Where(r => r.Count >= 30), r => Assert.True(r.Coverage["0.9"] >= 0.85, $"[{r.From}, {r.To}): {r.Coverage["0.9"]:F3}"));

        // Ranges here are counted by true label; the report adds the view by prediction.
        Assert.Equal(testY.Length, report.Ranges.Sum(r => r.Count));
        Assert.Equal(testY.Count(y => y < 5), report.Ranges[0].Count);
        Assert.NotNull(report.PredictedRanges);
        Assert.Equal(testP.Length, report.PredictedRanges.Sum(r => r.Count));
    }

    [Fact]
    public void Validate_UnknownKey_SaysSo()
    {
        var options = CalibrationOptions.Age with { KeyedBy = "truth" };

        Assert.Contains("keyedBy: must be 'prediction' or 'label' (got 'truth')", options.Validate());
        Assert.Throws<ArgumentException>(() => ConformalCalibrator.Fit([1.0], [1.0], options, 0, 100));
    }

    private static Dictionary<string, double> Widths(double q80, double q90, double q95) =>
        new() { ["0.8"] = q80, ["0.9"] = q90, ["0.95"] = q95 };

    private static (double, double) Bounds(PredictionInterval interval) => (interval.Lower, interval.Upper);

    private static (double, double, int) Shape(CalibrationRange range) => (range.From, range.To, range.ValCount);
}
