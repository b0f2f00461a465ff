using ConR.Shared.Calibration;

namespace ConR.Shared.Tests.Calibration;

public class WeightedConformalTests
{
    private static readonly CalibrationOptions FiveYears = new(5, 0, [0.5, 0.8, 0.9]);

    [Fact]
    public void Fit_HandWeights_QuantileUsesEffectiveSampleSize()
    {
        // Residuals 1..10 in one range; weights 1 for 1..5 and 3 for 6..10: W = 20, Σw² = 50, n_eff = 8.
        // Needed share level·(n_eff + 1)/n_eff: 0.5 → 0.5625 (weight 11.25: reached at 8, cumulative 14);
        // 0.8 → 0.9 (weight 18: reached at 10, cumulative 20); 0.9 → 1.0125 > 1: capped at the largest residual.
        double[] predictions = [.. Enumerable.Repeat(12.0, 10)];
        double[] labels = [.. Enumerable.Range(1, 10).Select(r => 12.0 + r)];
        double[] weights = [1, 1, 1, 1, 1, 3, 3, 3, 3, 3];

        var table = ConformalCalibrator.Fit(predictions, labels, weights, FiveYears with { MinSamplesPerRange = 1 }, 0, 100);

        var range = Assert.Single(table.Ranges);
        Assert.Equal(8, range.EffectiveCount!.Value, 12);
        Assert.Equal(10, range.ValCount);
        Assert.Equal(8, range.HalfWidths["0.5"]);
        Assert.Equal(10, range.HalfWidths["0.8"]);
        Assert.Equal(10, range.HalfWidths["0.9"]);
        Assert.True(range.Capped);
    }

    [Fact]
    public void Fit_KnownMixtureQuantiles_WeightsMoveTheQuantileToTheTargetMix()
    {
        // One predicted range holding two kinds of sample, half each: residuals U(0, 1) and U(0, 10).
        // Unweighted (50/50) the 0.9 quantile solves 0.5 + 0.05·q = 0.9: q = 8. Weighted to a 90/10 mix
        // (w = 0.9/0.5 and 0.1/0.5) it solves 0.9·q + 0.01·q = 0.9: q = 0.9/0.91 ≈ 0.989.
        var random = new Random(5);
        const int half = 20_000;
        var predictions = new double[2 * half];
        var labels = new double[2 * half];
        var weights = new double[2 * half];
        for (var i = 0; i < predictions.Length; i++)
        {
            var narrow = i < half;
            predictions[i] = 52;
            labels[i] = 52 + ((random.NextDouble() < 0.5 ? -1 : 1) * random.NextDouble() * (narrow ? 1 : 10));
            weights[i] = narrow ? 1.8 : 0.2;
        }

        var options = new CalibrationOptions(5, 0, [0.9]);
        var unweighted = ConformalCalibrator.Fit(predictions, labels, options, 0, 100);
        var weighted = ConformalCalibrator.Fit(predictions, labels, weights, options, 0, 100);

        Assert.Equal(8, Assert.Single(unweighted.Ranges).HalfWidths["0.9"], 0.15);
        Assert.Equal(0.9 / 0.91, Assert.Single(weighted.Ranges).HalfWidths["0.9"], 0.02);
        Assert.Null(unweighted.Ranges[0].EffectiveCount);

        // n_eff = (Σw)² / Σw² = (2·half)² / (half·(1.8² + 0.2²)).
        Assert.Equal(4.0 * half / 3.28, weighted.Ranges[0].EffectiveCount!.Value, 1e-6);
    }

    [Fact]
    public void Fit_EqualWeights_IsExactlyTheUnweightedFit()
    {
        var (p, y) = HeteroscedasticData.Generate(5_000, seed: 4);

        var unweighted = ConformalCalibrator.Fit(p, y, CalibrationOptions.Age, 0, 100);
        var weighted = ConformalCalibrator.Fit(p, y, [.. Enumerable.Repeat(2.5, p.Length)], CalibrationOptions.Age, 0, 100);

        Assert.Equal(unweighted.Ranges.Count, weighted.Ranges.Count);
        foreach (var (a, b) in unweighted.Ranges.Zip(weighted.Ranges))
        {
            Assert.Equal((a.From, a.To, a.ValCount, a.MergedFrom, a.Capped), (b.From, b.To, b.ValCount, b.MergedFrom, b.Capped));
            Assert.Equal(a.HalfWidths, b.HalfWidths);
            Assert.Equal(a.ValCount, b.EffectiveCount!.Value, 1e-9);
        }
    }

    [Fact]
    public void Fit_ZeroWeightSamples_DoNotMoveTheQuantile()
    {
        var (p, y) = HeteroscedasticData.Generate(2_000, seed: 6);
        var plain = ConformalCalibrator.Fit(p, y, [.. Enumerable.Repeat(1.0, p.Length)], CalibrationOptions.Age, 0, 100);

        // The same data plus, in every range, samples with enormous residuals and no weight.
        double[] extraP = [.. p, .. p.Take(500)];
        double[] extraY = [.. y, .. p.Take(500).Select(v => v + 1_000)];
        double[] extraW = [.. Enumerable.Repeat(1.0, p.Length), .. Enumerable.Repeat(0.0, 500)];
        var padded = ConformalCalibrator.Fit(extraP, extraY, extraW, CalibrationOptions.Age, 0, 100);

        Assert.Equal(plain.Ranges.Select(r => r.HalfWidths["0.9"]), padded.Ranges.Select(r => r.HalfWidths["0.9"]));
        Assert.Equal(plain.Ranges.Select(r => r.EffectiveCount), padded.Ranges.Select(r => r.EffectiveCount));
        Assert.Equal(p.Length + 500, padded.Ranges.Sum(r => r.ValCount));
    }

    [Fact]
    public void Fit_RangeWithManySamplesButOneHeavyWeight_IsMergedByEffectiveSize()
    {
        // [0, 5): 40 samples, one of weight 100 (n_eff = 139² / 10_039 ≈ 1.9); [5, 10): 40 samples of weight 1.
        var predictions = new List<double>();
        predictions.AddRange(Enumerable.Repeat(2.0, 40));
        predictions.AddRange(Enumerable.Repeat(7.0, 40));
        var labels = predictions.Select(p => p + 1).ToList();
        var weights = Enumerable.Repeat(1.0, 80).ToArray();
        weights[0] = 100;

        var unweighted = ConformalCalibrator.Fit(predictions, labels, CalibrationOptions.Age, 0, 100);
        var weighted = ConformalCalibrator.Fit(predictions, labels, weights, CalibrationOptions.Age, 0, 100);

        Assert.Equal(2, unweighted.Ranges.Count);
        var merged = Assert.Single(weighted.Ranges);
        Assert.Equal((0.0, 10.0, 80, 2), (merged.From, merged.To, merged.ValCount, merged.MergedFrom));
        Assert.Equal(179.0 * 179 / (10_000 + 79), merged.EffectiveCount!.Value, 1e-9);
    }

    [Fact]
    public void Fit_FloatSpans_MatchListOverload()
    {
        var (p, y) = HeteroscedasticData.Generate(5_000, seed: 8);
        var random = new Random(9);
        double[] w = [.. p.Select(_ => Math.Round(random.NextDouble() * 4, 2))];

        var fromLists = ConformalCalibrator.Fit([.. p.Select(v => (double)(float)v)], [.. y.Select(v => (double)(float)v)], [.. w.Select(v => (double)(float)v)], CalibrationOptions.Age, 0, 100);
        var fromSpans = ConformalCalibrator.Fit(
            [.. p.Select(v => (float)v)], [.. y.Select(v => (float)v)], [.. w.Select(v => (float)v)], CalibrationOptions.Age, 0, 100);

        Assert.Equal(fromLists.Ranges.Select(r => (r.From, r.To, r.ValCount)), fromSpans.Ranges.Select(r => (r.From, r.To, r.ValCount)));
        foreach (var (a, b) in fromLists.Ranges.Zip(fromSpans.Ranges))
        {
            Assert.Equal(a.HalfWidths["0.9"], b.HalfWidths["0.9"], Math.Max(a.HalfWidths["0.9"], 1) * 1e-5);
            Assert.Equal(a.EffectiveCount!.Value, b.EffectiveCount!.Value, a.EffectiveCount.Value * 1e-6);
        }
    }

    [Theory]
    [InlineData(-1.0, "Weight 1 is -1")]
    [InlineData(double.NaN, "Weight 1 is NaN")]
    [InlineData(double.PositiveInfinity, "Weight 1 is Infinity")]
    public void Fit_BadWeight_ThrowsNamingIt(double bad, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => ConformalCalibrator.Fit([1.0, 2.0], [1.0, 2.0], [1.0, bad], FiveYears, 0, 100));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_AllWeightsZero_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => ConformalCalibrator.Fit([1.0, 2.0], [1.0, 2.0], [0.0, 0.0], FiveYears, 0, 100));

        Assert.Contains("sum to zero", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_WeightCountMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => ConformalCalibrator.Fit([1.0, 2.0], [1.0, 2.0], [1.0], FiveYears, 0, 100));
    }
}
