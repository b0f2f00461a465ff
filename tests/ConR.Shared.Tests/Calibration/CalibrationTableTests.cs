using ConR.Shared.Calibration;

namespace ConR.Shared.Tests.Calibration;

public class CalibrationTableTests
{
    // Two calibrated ranges with a gap: [0, 5) with q = 1/2/3 and [20, 25) with q = 10/20/30.
    private static readonly CalibrationTable Gapped = new(
        new CalibrationOptions(5, 0, [0.8, 0.9, 0.95]),
        [
            new CalibrationRange(0, 5, 40, Widths(1, 2, 3), 1, false),
            new CalibrationRange(20, 25, 50, Widths(10, 20, 30), 1, false),
        ],
        0,
        100);

    [Theory]
    [InlineData(-3, 0)] // below every range: the first
    [InlineData(0, 0)]
    [InlineData(4.99, 0)]
    [InlineData(8, 0)] // gap, 3 from the first, 12 from the second
    [InlineData(12.5, 0)] // gap, equidistant: the lower
    [InlineData(13, 1)] // gap, nearer the second
    [InlineData(20, 1)]
    [InlineData(1e9, 1)] // above every range: the last
    public void RangeFor_AnyPrediction_UsesContainingOrNearestRange(double prediction, int expectedIndex)
    {
        Assert.Same(Gapped.Ranges[expectedIndex], Gapped.RangeFor(prediction));
    }

    [Fact]
    public void RangeFor_HairBelowAnEdge_CountsAsOnTheEdgeLikeFit()
    {
        var table = new CalibrationTable(
            Gapped.Options,
            [new CalibrationRange(0, 5, 40, Widths(1, 2, 3), 1, false), new CalibrationRange(5, 10, 40, Widths(4, 5, 6), 1, false)],
            0,
            100);

        Assert.Equal(5, table.RangeFor(5 - 1e-12).From);
        Assert.Equal(0, table.RangeFor(5 - 1e-6).From);
    }

    [Fact]
    public void RangeFor_NaN_Throws()
    {
        Assert.Throws<ArgumentException>(() => Gapped.RangeFor(double.NaN));
    }

    [Fact]
    public void Interval_InsideLabelRange_IsPredictionPlusMinusHalfWidth()
    {
        var interval = Gapped.Interval(22, 0.9);

        Assert.Equal(new PredictionInterval(2, 42, 0.9, Gapped.Ranges[1]), interval);
    }

    [Fact]
    public void Interval_NearLabelBounds_ClipsToLabelRange()
    {
        Assert.Equal((0.0, 3.5), Bounds(Gapped.Interval(0.5, 0.95)));
        var top = new CalibrationTable(Gapped.Options, Gapped.Ranges, 0, 30);
        Assert.Equal((4.0, 30.0), Bounds(top.Interval(24, 0.9)));
    }

    [Fact]
    public void Interval_PredictionFarOutsideLabelRange_CollapsesAtTheBound()
    {
        Assert.Equal((0.0, 0.0), Bounds(Gapped.Interval(-50, 0.8)));
    }

    [Fact]
    public void Interval_UnknownLevel_ThrowsListingAvailableLevels()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gapped.Interval(3, 0.85));

        Assert.StartsWith("Level 0.85 is not calibrated; available levels: 0.8, 0.9, 0.95.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HalfWidths_Span_EqualsPerElementInterval()
    {
        var random = new Random(5);
        var predictions = new float[1_000];
        for (var i = 0; i < predictions.Length; i++)
        {
            predictions[i] = (float)((random.NextDouble() * 60) - 10);
        }

        var destination = new float[predictions.Length];
        Gapped.HalfWidths(predictions, 0.9, destination);

        for (var i = 0; i < predictions.Length; i++)
        {
            var interval = Gapped.Interval(predictions[i], 0.9);
            Assert.Equal((float)interval.Range!.HalfWidths["0.9"], destination[i]);
            if (interval.Lower > 0 && interval.Upper < 100)
            {
                Assert.Equal((interval.Upper - interval.Lower) / 2, destination[i], 1e-5);
            }
        }
    }

    [Fact]
    public void HalfWidths_NaNPixel_GivesNaNWithoutFailingTheMap()
    {
        var destination = new float[3];

        Gapped.HalfWidths([1f, float.NaN, 21f], 0.8, destination);

        Assert.Equal(new[] { 1f, float.NaN, 10f }, destination);
    }

    [Fact]
    public void HalfWidths_LengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => Gapped.HalfWidths([1f, 2f], 0.9, new float[1]));
    }

    [Fact]
    public void HalfWidths_UnknownLevel_Throws()
    {
        Assert.Throws<ArgumentException>(() => Gapped.HalfWidths([1f], 0.5, new float[1]));
    }

    [Fact]
    public void Validate_FittedTable_HasNoProblems()
    {
        var (p, y) = HeteroscedasticData.Generate(3_000, seed: 2);

        Assert.Empty(ConformalCalibrator.Fit(p, y, CalibrationOptions.Age, 0, 100).Validate());
    }

    [Fact]
    public void Validate_OverlappingRangesAndBadHalfWidths_ListsEach()
    {
        var table = Gapped with
        {
            Ranges =
            [
                new CalibrationRange(0, 10, 40, Widths(1, 2, 3), 1, false),
                new CalibrationRange(5, 15, 40, new Dictionary<string, double> { ["0.8"] = 1, ["0.9"] = -2 }, 0, false),
                new CalibrationRange(20, 21.3, 40, Widths(1, 2, 3), 1, false),
            ],
            LabelMin = 100,
        };

        var problems = table.Validate();

        Assert.Contains(problems, p => p.StartsWith("labelMin/labelMax: labelMin must be below labelMax", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("ranges[1]: overlaps or is not after ranges[0]", StringComparison.Ordinal));
        Assert.Contains("ranges[1].halfWidths[\"0.9\"]: must be non-negative and finite (got -2)", problems);
        Assert.Contains("ranges[1].halfWidths: missing level 0.95", problems);
        Assert.Contains("ranges[1].mergedFrom: must be at least 1 (got 0)", problems);
        Assert.Contains(problems, p => p.StartsWith("ranges[2]: edges 20 and 21.3 are not on the grid", StringComparison.Ordinal));
    }

    internal static Dictionary<string, double> Widths(double q80, double q90, double q95) =>
        new() { ["0.8"] = q80, ["0.9"] = q90, ["0.95"] = q95 };

    private static (double, double) Bounds(PredictionInterval interval) => (interval.Lower, interval.Upper);
}
