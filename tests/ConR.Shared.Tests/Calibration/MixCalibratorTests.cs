using ConR.Shared.Calibration;
using Xunit.Abstractions;

namespace ConR.Shared.Tests.Calibration;

public class MixCalibratorTests(ITestOutputHelper output)
{
    private const string Ninety = "0.9";

    [Fact]
    public void Fit_Balanced_CoversEveryTrueLabelShotOnABalancedTest()
    {
        var (fit, _, _) = FitBoth();

        var report = fit.Balanced.TestCoverage;

        Log("balanced on balanced test", report);
        Assert.Equal(CalibrationKeys.Label, fit.Balanced.Table.Options.KeyedBy);
        Assert.False(report.ImportanceWeighted);
        Assert.InRange(report.Overall[Ninety], 0.88, 0.92);
        Assert.Equal(["many", "median", "few"], report.Shots!.Select(shot => shot.Shot));
        Assert.All(report.Shots!, shot => Assert.True(shot.Count >= 1_000 && shot.Coverage[Ninety] >= 0.85, $"{shot.Shot}: {shot.Coverage[Ninety]:F3} of {shot.Count}"));
        Assert.True(fit.Balanced.TargetMet);
    }

    [Fact]
    public void Fit_PredictionKeyedUnweighted_TheSchema1Protocol_UnderCoversFewShotTrueLabels()
    {
        // The protocol the balanced mix replaces, on the same data: right on average, wrong for rare true labels.
        var (val, test) = (LabelShiftData.Balanced(100, seed: 1), LabelShiftData.Balanced(100, seed: 2));
        var table = ConformalCalibrator.Fit(val.Predictions, val.Labels, CalibrationOptions.Age, LabelShiftData.LabelMin, LabelShiftData.LabelMax);

        var report = CoverageEvaluator.Measure(table, test.Predictions, test.Labels, LabelShiftData.Shots);

        Log("schema-1 protocol on balanced test", report);
        Assert.InRange(report.Overall[Ninety], 0.88, 0.92);
        Assert.True(report.Shots!.Single(shot => shot.Shot == "few").Coverage[Ninety] < 0.85);
        Assert.False(report.MeetsShotTarget(0.9, 0.85, 30));
    }

    [Fact]
    public void Fit_Natural_CoversNinetyPercentOfANaturalTestWhereTheUnweightedTableOverCovers()
    {
        var (fit, val, _) = FitBoth();
        var natural = LabelShiftData.Natural(20_000, seed: 3);
        var unweighted = ConformalCalibrator.Fit(val.Predictions, val.Labels, CalibrationOptions.Age, LabelShiftData.LabelMin, LabelShiftData.LabelMax);

        var onNatural = CoverageEvaluator.Measure(fit.Natural.Table, natural.Predictions, natural.Labels, LabelShiftData.Shots);
        var unweightedOnNatural = CoverageEvaluator.Measure(unweighted, natural.Predictions, natural.Labels, LabelShiftData.Shots);

        Log("natural table on natural test (raw)", onNatural);
        Log("same ranges unweighted (balanced val) on natural test (raw)", unweightedOnNatural);
        Assert.Equal(CalibrationKeys.Prediction, fit.Natural.Table.Options.KeyedBy);
        Assert.InRange(onNatural.Overall[Ninety], 0.88, 0.92);

        // Calibrated for the balanced mix, the same Mondrian ranges over-cover the common labels and are wider.
        Assert.True(unweightedOnNatural.Overall[Ninety] > 0.92, $"unweighted covers {unweightedOnNatural.Overall[Ninety]:F3}");
        Assert.True(onNatural.MedianHalfWidths![Ninety] < 0.9 * unweightedOnNatural.MedianHalfWidths![Ninety]);
        Assert.All(fit.Natural.Table.Ranges, range => Assert.True(range.EffectiveCount >= 30 || fit.Natural.Table.Ranges.Count == 1, $"[{range.From}, {range.To}) n_eff {range.EffectiveCount}"));
    }

    [Fact]
    public void Fit_Natural_ImportanceWeightedBalancedTest_AgreesWithARealNaturalTest()
    {
        // The card states the natural coverage measured by importance-weighting the balanced test: it must be what a
        // test split with the training mix shows.
        var (fit, _, _) = FitBoth();
        var natural = LabelShiftData.Natural(20_000, seed: 3);

        var weighted = fit.Natural.TestCoverage;
        var real = CoverageEvaluator.Measure(fit.Natural.Table, natural.Predictions, natural.Labels, LabelShiftData.Shots);

        Log("natural table, importance-weighted balanced test", weighted);
        Assert.True(weighted.ImportanceWeighted);
        Assert.Equal(real.Overall[Ninety], weighted.Overall[Ninety], 0.02);
        Assert.Equal(real.MedianHalfWidths![Ninety], weighted.MedianHalfWidths![Ninety], 0.15 * real.MedianHalfWidths[Ninety]);
        Assert.True(fit.Natural.TargetMet);
        Assert.True(fit.Natural.TestEffectiveCount < 0.5 * 10_000, $"test n_eff {fit.Natural.TestEffectiveCount}");
    }

    [Fact]
    public void Fit_FloatSpans_MatchListOverload()
    {
        var (fit, val, test) = FitBoth();
        float[] F(double[] values) => [.. values.Select(v => (float)v)];

        var fromSpans = MixCalibrator.Fit(
            F(val.Predictions), F(val.Labels), F(test.Predictions), F(test.Labels), LabelShiftData.Shots, CalibrationOptions.Age, LabelShiftData.LabelMin, LabelShiftData.LabelMax);

        foreach (var (lists, spans) in new[] { (fit.Balanced, fromSpans.Balanced), (fit.Natural, fromSpans.Natural) })
        {
            Assert.Equal(lists.Table.Ranges.Select(r => (r.From, r.To, r.ValCount)), spans.Table.Ranges.Select(r => (r.From, r.To, r.ValCount)));
            Assert.Equal(lists.TestCoverage.Overall[Ninety], spans.TestCoverage.Overall[Ninety], 0.005);
        }
    }

    private static (MixCalibrations Fit, (double[] Predictions, double[] Labels) Val, (double[] Predictions, double[] Labels) Test) FitBoth()
    {
        var val = LabelShiftData.Balanced(100, seed: 1);
        var test = LabelShiftData.Balanced(100, seed: 2);
        var fit = MixCalibrator.Fit(
            val.Predictions, val.Labels, test.Predictions, test.Labels, LabelShiftData.Shots, CalibrationOptions.Age, LabelShiftData.LabelMin, LabelShiftData.LabelMax);
        return (fit, val, test);
    }

    private void Log(string title, CoverageReport report)
    {
        output.WriteLine($"{title}: overall {report.Overall[Ninety]:F3}, median half-width {report.MedianHalfWidths?[Ninety]:F2}");
        foreach (var shot in report.Shots ?? [])
        {
            output.WriteLine($"  {shot.Shot}: n {shot.Count} n_eff {shot.EffectiveCount:F0} coverage {shot.Coverage[Ninety]:F3} median half-width {shot.MedianHalfWidths[Ninety]:F2}");
        }
    }
}
