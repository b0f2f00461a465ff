using ConR.Shared.Imbalance;
using ConR.Shared.Metrics;

namespace ConR.Shared.Tests.Metrics;

public class DirMetricsTests
{
    // Train counts: age 30 → 150 (Many), 50 → 100 and 70 → 20 (Median), 90 → 19 and 95 → 0 (Few).
    private static LabelHistogram Train()
    {
        var counts = new long[121];
        counts[30] = 150;
        counts[50] = 100;
        counts[70] = 20;
        counts[90] = 19;
        return LabelHistogram.FromCounts(counts, LabelBins.Age);
    }

    [Fact]
    public void Compute_SixSamples_MatchesHandComputedTable()
    {
        // Errors: Many 2, 1.5 (30.5 is in bin 30); Median 4, 1; Few 8, 0.
        double[] labels = [30, 30.5, 50, 70, 90, 95];
        double[] predictions = [32, 29, 54, 69, 98, 95];

        var table = DirMetrics.Compute(predictions, labels, Train(), new ShotThresholds());

        AssertSummary(6, 16.5 / 6, 87.25 / 6, Math.Pow(2 * 1.5 * 4 * 1 * 8 * 1e-10, 1 / 6.0), table.All);
        AssertSummary(2, 1.75, 3.125, Math.Sqrt(3), table.Many);
        AssertSummary(2, 2.5, 8.5, 2, table.Median);
        AssertSummary(2, 4, 32, Math.Sqrt(8e-10), table.Few);
    }

    [Fact]
    public void Compute_NoFewShotSamples_FewIsEmpty()
    {
        var table = DirMetrics.Compute([31.0], [30.0], Train(), new ShotThresholds());

        Assert.Equal(ErrorSummary.Empty, table.Few);
        Assert.Equal(ErrorSummary.Empty, table.Median);
        Assert.Equal(1, table.Many.Count);
    }

    [Fact]
    public void Compute_LengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => DirMetrics.Compute([1.0], [1.0, 2.0], Train(), new ShotThresholds()));
    }

    private static void AssertSummary(int count, double mae, double mse, double gm, ErrorSummary actual)
    {
        Assert.Equal(count, actual.Count);
        Assert.Equal(mae, actual.Mae, 1e-12);
        Assert.Equal(mse, actual.Mse, 1e-12);
        Assert.Equal(gm, actual.Gm, gm * 1e-9);
    }
}
