using ConR.Shared.Calibration;

namespace ConR.Shared.Tests.Calibration;

public class ConformalCalibratorTests
{
    private static readonly CalibrationOptions FiveYears = new(5, 0, [0.8, 0.9, 0.95]);

    [Fact]
    public void Fit_ResidualsOneToNine_HalfWidthIsConformalOrderStatistic()
    {
        // Nine samples in [10, 15) with |y − ŷ| = 1..9 (alternating sign).
        double[] predictions = [.. Enumerable.Repeat(12.0, 9)];
        double[] labels = [.. Enumerable.Range(1, 9).Select(r => 12.0 + (r % 2 == 0 ? r : -r))];

        var table = ConformalCalibrator.Fit(predictions, labels, FiveYears with { MinSamplesPerRange = 1 }, 0, 100);

        var range = Assert.Single(table.Ranges);
        Assert.Equal((10.0, 15.0, 9, 1), (range.From, range.To, range.ValCount, range.MergedFrom));
        Assert.Equal(8, range.HalfWidths["0.8"]); // k = ⌈10·0.8⌉ = 8
        Assert.Equal(9, range.HalfWidths["0.9"]); // k = ⌈10·0.9⌉ = 9
        Assert.Equal(9, range.HalfWidths["0.95"]); // k = ⌈9.5⌉ = 10 > 9: capped at the largest
        Assert.True(range.Capped);
    }

    [Theory]
    [InlineData(9, 0.8, 8)]
    [InlineData(9, 0.9, 9)]
    [InlineData(19, 0.95, 19)]
    [InlineData(29, 0.9, 27)]
    [InlineData(30, 0.9, 28)]
    [InlineData(99, 0.9, 90)]
    [InlineData(999, 0.95, 950)]
    [InlineData(1_999_999, 0.8, 1_600_000)]
    public void ConformalRank_DecimalLevels_IsExactCeiling(int n, double level, long expected)
    {
        Assert.Equal(expected, ConformalCalibrator.ConformalRank(n, level));
    }

    [Fact]
    public void Fit_EnoughSamples_NotCapped()
    {
        var (p, y) = HeteroscedasticData.Generate(2_000, seed: 1);

        var table = ConformalCalibrator.Fit(p, y, FiveYears, 0, 100);

        Assert.All(table.Ranges, range => Assert.False(range.Capped));
        Assert.All(table.Ranges, range => Assert.True(range.ValCount >= 30, $"[{range.From}, {range.To}) has {range.ValCount}"));
        Assert.Equal(2_000, table.Ranges.Sum(range => range.ValCount));
    }

    [Fact]
    public void Fit_SparseRange_MergesWithSmallerNeighbour()
    {
        // [0, 5): 40 samples, [5, 10): 5, [10, 15): 35. The sparse middle joins the smaller neighbour, [10, 15).
        var predictions = new List<double>();
        predictions.AddRange(Enumerable.Repeat(2.0, 40));
        predictions.AddRange(Enumerable.Repeat(7.0, 5));
        predictions.AddRange(Enumerable.Repeat(12.0, 35));
        var labels = predictions.Select(p => p + 1).ToList();

        var table = ConformalCalibrator.Fit(predictions, labels, FiveYears, 0, 100);

        Assert.Equal(2, table.Ranges.Count);
        Assert.Equal((0.0, 5.0, 40, 1), Shape(table.Ranges[0]));
        Assert.Equal((5.0, 15.0, 40, 2), Shape(table.Ranges[1]));
    }

    [Fact]
    public void Fit_SparseRangesOnBothEnds_MergeInwardsAcrossGaps()
    {
        // [-5, 0): 3, gap, [10, 15): 50, [15, 20): 50, gap, [40, 45): 2.
        var predictions = new List<double>();
        predictions.AddRange(Enumerable.Repeat(-1.0, 3));
        predictions.AddRange(Enumerable.Repeat(11.0, 50));
        predictions.AddRange(Enumerable.Repeat(16.0, 50));
        predictions.AddRange(Enumerable.Repeat(41.0, 2));

        var table = ConformalCalibrator.Fit(predictions, predictions, FiveYears, 0, 100);

        Assert.Equal(2, table.Ranges.Count);
        Assert.Equal((-5.0, 15.0, 53, 2), Shape(table.Ranges[0]));
        Assert.Equal((15.0, 45.0, 52, 2), Shape(table.Ranges[1]));
    }

    [Fact]
    public void Fit_FewerSamplesThanMinimumInTotal_OneGlobalRange()
    {
        double[] predictions = [1, 2, 6, 7, 8, 13, 14];
        double[] labels = [2, 2, 5, 7, 10, 13, 11];

        var table = ConformalCalibrator.Fit(predictions, labels, FiveYears, 0, 100);

        var range = Assert.Single(table.Ranges);
        Assert.Equal((0.0, 15.0, 7, 3), Shape(range));
        Assert.True(range.Capped); // ⌈8·0.9⌉ = 8 > 7
        Assert.Equal(3, range.HalfWidths["0.9"]);
    }

    [Fact]
    public void Fit_FloatSpans_MatchListOverload()
    {
        var (p, y) = HeteroscedasticData.Generate(5_000, seed: 3);
        float[] pf = [.. p.Select(v => (float)v)];
        float[] yf = [.. y.Select(v => (float)v)];

        var fromSpans = ConformalCalibrator.Fit(pf.AsSpan(), yf.AsSpan(), FiveYears, 0, 100);
        var fromLists = ConformalCalibrator.Fit([.. pf.Select(v => (double)v)], [.. yf.Select(v => (double)v)], FiveYears, 0, 100);

        Assert.Equal(fromLists.Ranges.Count, fromSpans.Ranges.Count);
        for (var r = 0; r < fromLists.Ranges.Count; r++)
        {
            Assert.Equal(Shape(fromLists.Ranges[r]), Shape(fromSpans.Ranges[r]));
            foreach (var (key, q) in fromLists.Ranges[r].HalfWidths)
            {
                // Float residuals round to ~1e-7 relative.
                Assert.Equal(q, fromSpans.Ranges[r].HalfWidths[key], Math.Max(q, 1) * 1e-5);
            }
        }
    }

    [Fact]
    public void Fit_ManyPixels_EqualsSortBasedQuantile()
    {
        // Depth-like: 200k pixels in 0.5 m ranges over 0–10 m, residuals quantised to mm so many repeat.
        var random = new Random(11);
        var count = 200_000;
        var predictions = new float[count];
        var labels = new float[count];
        for (var i = 0; i < count; i++)
        {
            predictions[i] = (float)(random.NextDouble() * 10);
            labels[i] = predictions[i] + (MathF.Round((float)(random.NextDouble() - 0.5) * predictions[i], 3));
        }

        var table = ConformalCalibrator.Fit(predictions, labels, CalibrationOptions.Depth, 0, 10);

        Assert.Equal(20, table.Ranges.Count);
        foreach (var range in table.Ranges)
        {
            var residuals = Enumerable.Range(0, count)
                .Where(i => predictions[i] >= range.From && predictions[i] < range.To)
                .Select(i => MathF.Abs(labels[i] - predictions[i]))
                .Order()
                .ToArray();
            Assert.Equal(residuals.Length, range.ValCount);
            var k = (int)Math.Ceiling((residuals.Length + 1) * 0.9 - 1e-6);
            Assert.Equal(residuals[k - 1], range.HalfWidths["0.9"]);
        }
    }

    [Fact]
    public void Fit_LengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => ConformalCalibrator.Fit([1.0, 2.0], [1.0], FiveYears, 0, 100));
    }

    [Fact]
    public void Fit_NaNLabel_ThrowsNamingTheSample()
    {
        var ex = Assert.Throws<ArgumentException>(() => ConformalCalibrator.Fit([1.0, 2.0], [1.0, double.NaN], FiveYears, 0, 100));

        Assert.Contains("Sample 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_NoSamples_Throws()
    {
        Assert.Throws<ArgumentException>(() => ConformalCalibrator.Fit(Array.Empty<double>(), Array.Empty<double>(), FiveYears, 0, 100));
    }

    [Fact]
    public void Fit_LevelOfOne_ThrowsNamingTheLevel()
    {
        var ex = Assert.Throws<ArgumentException>(() => ConformalCalibrator.Fit([1.0], [1.0], FiveYears with { Levels = [0.9, 1.0] }, 0, 100));

        Assert.Contains("levels[1]: must be in (0, 1)", ex.Message, StringComparison.Ordinal);
    }

    private static (double, double, int, int) Shape(CalibrationRange range) => (range.From, range.To, range.ValCount, range.MergedFrom);
}
