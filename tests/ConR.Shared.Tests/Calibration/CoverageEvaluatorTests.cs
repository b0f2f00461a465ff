using ConR.Shared.Calibration;
using Xunit.Abstractions;

namespace ConR.Shared.Tests.Calibration;

public class CoverageEvaluatorTests(ITestOutputHelper output)
{
    [Fact]
    public void Measure_HandExample_CountsPerRangeAndOverall()
    {
        var table = new CalibrationTable(
            new CalibrationOptions(5, 0, [0.9]),
            [
                new CalibrationRange(0, 5, 40, new Dictionary<string, double> { ["0.9"] = 1 }, 1, false),
                new CalibrationRange(5, 10, 40, new Dictionary<string, double> { ["0.9"] = 2 }, 1, false),
            ],
            0,
            100);

        // Range 0: |2.5 − 2| ≤ 1 covered, |4 − 2| > 1 not, |2 − 1| = 1 covered (ends inclusive).
        // Range 1 (incl. 30, which falls back to it): 6 vs 7 covered, 30 vs 20 not.
        var report = CoverageEvaluator.Measure(table, [2.0, 2, 1, 7, 30], [2.5, 4, 2, 6, 20]);

        Assert.Equal(3 / 5.0, report.Overall["0.9"], 1e-12);
        Assert.Equal((0.0, 5.0, 3), (report.Ranges[0].From, report.Ranges[0].To, report.Ranges[0].Count));
        Assert.Equal(2 / 3.0, report.Ranges[0].Coverage["0.9"], 1e-12);
        Assert.Equal(2, report.Ranges[1].Count);
        Assert.Equal(0.5, report.Ranges[1].Coverage["0.9"], 1e-12);
    }

    [Fact]
    public void Measure_RangeWithoutTestSamples_IsNaN()
    {
        var table = new CalibrationTable(
            new CalibrationOptions(5, 0, [0.9]),
            [
                new CalibrationRange(0, 5, 40, new Dictionary<string, double> { ["0.9"] = 1 }, 1, false),
                new CalibrationRange(5, 10, 40, new Dictionary<string, double> { ["0.9"] = 2 }, 1, false),
            ],
            0,
            100);

        float[] one = [1f];

        var report = CoverageEvaluator.Measure(table, one, one);

        Assert.Equal(0, report.Ranges[1].Count);
        Assert.True(double.IsNaN(report.Ranges[1].Coverage["0.9"]));
        Assert.Equal(1, report.Overall["0.9"]);
    }

    [Fact]
    public void Measure_HeteroscedasticMondrian_CoversNinetyPercentOverallAndPerRange()
    {
        var (valP, valY, testP, testY) = HeteroscedasticData.ValTest();
        var table = ConformalCalibrator.Fit(valP, valY, CalibrationOptions.Age, HeteroscedasticData.LabelMin, HeteroscedasticData.LabelMax);

        var report = CoverageEvaluator.Measure(table, testP, testY);

        output.WriteLine($"overall 0.8/0.9/0.95: {report.Overall["0.8"]:F4} {report.Overall["0.9"]:F4} {report.Overall["0.95"]:F4}");
        foreach (var (range, calibrated) in report.Ranges.Zip(table.Ranges))
        {
            output.WriteLine($"[{range.From}, {range.To}) val {calibrated.ValCount} merged {calibrated.MergedFrom} q90 {calibrated.HalfWidths["0.9"]:F2} test {range.Count} cov90 {range.Coverage["0.9"]:F3}");
        }

        Assert.InRange(report.Overall["0.9"], 0.88, 0.92);
        Assert.InRange(report.Overall["0.8"], 0.78, 0.82);
        Assert.InRange(report.Overall["0.95"], 0.93, 0.97);
        var populated = report.Ranges.Where(range => range.Count >= 30).ToList();
        Assert.True(populated.Count >= 20, $"only {populated.Count} ranges with >= 30 test samples");
        Assert.All(populated, range => Assert.True(
            range.Coverage["0.9"] >= 0.85,
            $"[{range.From}, {range.To}) n={range.Count}: {range.Coverage["0.9"]:F3}"));
        Assert.True(report.MeetsTarget(0.9, 0.02, 0.85, 30));
    }

    [Fact]
    public void Measure_HeteroscedasticGlobalInterval_UnderCoversNoisyRanges()
    {
        // One range for everything (plain split conformal) on the same data: right on average, wrong per range.
        var (valP, valY, testP, testY) = HeteroscedasticData.ValTest();
        var mondrian = ConformalCalibrator.Fit(valP, valY, CalibrationOptions.Age, HeteroscedasticData.LabelMin, HeteroscedasticData.LabelMax);
        var global = ConformalCalibrator.Fit(
            valP, valY, CalibrationOptions.Age with { MinSamplesPerRange = int.MaxValue }, HeteroscedasticData.LabelMin, HeteroscedasticData.LabelMax);
        Assert.Single(global.Ranges);

        // Global intervals scored per Mondrian range, i.e. per prediction range.
        var covered = new Dictionary<CalibrationRange, (int Hits, int Count)>();
        for (var i = 0; i < testP.Length; i++)
        {
            var range = mondrian.RangeFor(testP[i]);
            var interval = global.Interval(testP[i], 0.9);
            var (hits, count) = covered.GetValueOrDefault(range);
            covered[range] = (hits + (interval.Lower <= testY[i] && testY[i] <= interval.Upper ? 1 : 0), count + 1);
        }

        var overall = covered.Values.Sum(c => c.Hits) / (double)testP.Length;

        // Only ranges inside the label range, so the shortfall is the noise growing, not clipping at 100.
        var perRange = covered
            .Where(c => c.Value.Count >= 30 && c.Key.From >= HeteroscedasticData.LabelMin && c.Key.To <= HeteroscedasticData.LabelMax)
            .Select(c => c.Value.Hits / (double)c.Value.Count)
            .ToList();
        output.WriteLine($"global q90 {global.Ranges[0].HalfWidths["0.9"]:F2}: overall {overall:F4}, per range {perRange.Min():F3}..{perRange.Max():F3}");
        Assert.InRange(overall, 0.88, 0.92);
        Assert.True(perRange.Min() < 0.85, $"worst range coverage {perRange.Min():F3}");
        Assert.True(perRange.Max() > 0.95, $"best range coverage {perRange.Max():F3}");
        Assert.Single(CoverageEvaluator.Measure(global, testP, testY).Ranges);
    }

    [Fact]
    public void Measure_FloatSpans_MatchListOverload()
    {
        var (p, y) = HeteroscedasticData.Generate(4_000, seed: 9);
        float[] pf = [.. p.Select(v => (float)v)];
        float[] yf = [.. y.Select(v => (float)v)];
        var table = ConformalCalibrator.Fit(p[..2_000], y[..2_000], CalibrationOptions.Age, 0, 100);

        var fromSpans = CoverageEvaluator.Measure(table, pf.AsSpan(), yf.AsSpan());
        var fromLists = CoverageEvaluator.Measure(table, [.. pf.Select(v => (double)v)], [.. yf.Select(v => (double)v)]);

        Assert.Equal(fromLists.Overall, fromSpans.Overall);
        Assert.Equal(fromLists.Ranges.Select(r => r.Count), fromSpans.Ranges.Select(r => r.Count));
    }

    [Fact]
    public void Measure_LengthMismatch_Throws()
    {
        var table = ConformalCalibrator.Fit([1.0], [1.0], CalibrationOptions.Age, 0, 100);

        Assert.Throws<ArgumentException>(() => CoverageEvaluator.Measure(table, [1.0], [1.0, 2.0]));
    }

    [Theory]
    [InlineData(0.88, 0.86, true)] // both on or above the line
    [InlineData(0.8799, 0.9, false)] // overall too low
    [InlineData(0.9201, 0.9, false)] // overall too high
    [InlineData(0.9, 0.849, false)] // a populated range too low
    public void MeetsTarget_Thresholds_AppliedInclusively(double overall, double populatedRange, bool expected)
    {
        var report = new CoverageReport(
            new Dictionary<string, double> { ["0.9"] = overall },
            [
                new RangeCoverage(0, 5, 30, new Dictionary<string, double> { ["0.9"] = populatedRange }),
                new RangeCoverage(5, 10, 29, new Dictionary<string, double> { ["0.9"] = 0.5 }), // too few to count
                new RangeCoverage(10, 15, 0, new Dictionary<string, double> { ["0.9"] = double.NaN }),
            ]);

        Assert.Equal(expected, report.MeetsTarget(0.9, 0.02, 0.85, 30));
    }

    [Fact]
    public void MeetsTarget_UnmeasuredLevel_Throws()
    {
        var report = new CoverageReport(new Dictionary<string, double> { ["0.9"] = 0.9 }, []);

        var ex = Assert.Throws<ArgumentException>(() => report.MeetsTarget(0.8, 0.02, 0.85, 30));

        Assert.Contains("measured levels: 0.9", ex.Message, StringComparison.Ordinal);
    }
}
