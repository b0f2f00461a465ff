using System.Text.Json;
using ConR.Shared.Imbalance;
using ConR.Shared.Metrics;
using ConR.Shared.Metrics.Depth;

namespace ConR.Shared.Tests.Metrics.Depth;

public class DepthMetricsAccumulatorTests
{
    private static readonly LabelBins Nyu = new(0.1, 100);

    [Fact]
    public void Add_FourPixels_MatchesHandComputedMetrics()
    {
        // Errors: +0.5, -0.25, +1, 0; ratios 1.25, 1.25, 2, 1.
        float[] truth = [2f, 1f, 1f, 4f];
        float[] prediction = [2.5f, 0.8f, 2f, 4f];
        var accumulator = new DepthMetricsAccumulator(Nyu, DepthShots.Nyud2Official());

        accumulator.Add(prediction, truth, []);
        var all = accumulator.Result().All;

        Assert.Equal(4, all.Pixels);
        Assert.Equal(Math.Sqrt((0.25 + 0.04 + 1 + 0) / 4), all.Rmse, 6);
        Assert.Equal((0.5 + 0.2 + 1 + 0) / 4, all.Mae, 6);
        Assert.Equal((0.25 + 0.2 + 1 + 0) / 4, all.AbsRel, 6);
        Assert.Equal((Math.Log10(1.25) + Math.Log10(1.25) + Math.Log10(2) + 0) / 4, all.Log10, 6);
        Assert.Equal(0.75, all.Delta1);
        Assert.Equal(0.75, all.Delta2);
        Assert.Equal(0.75, all.Delta3);
    }

    [Fact]
    public void Add_DeltaThresholds_SplitAtPowersOfOnePointTwoFive()
    {
        // Ratios 1.5 (fails δ1 only), 1.9 (passes δ3 only), 3 (fails all), 1 (passes all).
        float[] truth = [2f, 1f, 1f, 1f];
        float[] prediction = [3f, 1.9f, 3f, 1f];
        var accumulator = new DepthMetricsAccumulator(Nyu, DepthShots.Nyud2Official());

        accumulator.Add(prediction, truth, []);
        var all = accumulator.Result().All;

        Assert.Equal(0.25, all.Delta1);
        Assert.Equal(0.5, all.Delta2);
        Assert.Equal(0.75, all.Delta3);
    }

    [Fact]
    public void Add_InvalidTruthAndMaskedPixels_AreExcluded()
    {
        float[] truth = [2f, 0f, float.NaN, -1f, float.PositiveInfinity, 3f, 5f];
        float[] prediction = [2.2f, 9f, 9f, 9f, 9f, 9f, 5f];
        bool[] mask = [true, true, true, true, true, false, true];
        var accumulator = new DepthMetricsAccumulator(Nyu, DepthShots.Nyud2Official());

        accumulator.Add(prediction, truth, mask);
        var all = accumulator.Result().All;

        Assert.Equal(2, all.Pixels);
        Assert.Equal(0.1, all.Mae, 6);
    }

    [Fact]
    public void Add_NonPositivePrediction_IsClampedForRatiosButNotForRmse()
    {
        float[] truth = [1f];
        float[] prediction = [-1f];
        var accumulator = new DepthMetricsAccumulator(Nyu, DepthShots.Nyud2Official());

        accumulator.Add(prediction, truth, []);
        var all = accumulator.Result().All;

        Assert.Equal(2, all.Rmse, 6);
        Assert.Equal(2, all.Mae, 6);
        Assert.Equal(1 - DepthMetricsAccumulator.MinPrediction, all.AbsRel, 9);
        Assert.Equal(3, all.Log10, 6);
        Assert.Equal(0, all.Delta3);
    }

    [Fact]
    public void Result_GroupsPixelsByTruthBinShot()
    {
        // Bins 20 (many), 7 (median), 70 (few); predictions deliberately in other bins.
        float[] truth = [2.05f, 0.75f, 7.05f, 7.05f];
        float[] prediction = [9f, 3f, 1f, 7.05f];
        var accumulator = new DepthMetricsAccumulator(Nyu, DepthShots.Nyud2Official());

        accumulator.Add(prediction, truth, []);
        var table = accumulator.Result();

        Assert.Equal(4, table.All.Pixels);
        Assert.Equal(1, table.Many.Pixels);
        Assert.Equal(1, table.Median.Pixels);
        Assert.Equal(2, table.Few.Pixels);
        Assert.Equal(6.95, table.Many.Mae, 5);
        Assert.Equal(2.25, table.Median.Mae, 5);
        Assert.Equal(0.5, table.Few.Delta1);
    }

    [Fact]
    public void Result_DepthOnABinEdge_CountsInTheUpperBin()
    {
        // 700 mm is bin 7 (median), although 0.7f is a hair below 0.7 in double (bin 6 would be few).
        var accumulator = new DepthMetricsAccumulator(Nyu, DepthShots.Nyud2Official());

        accumulator.Add([0.7f], [700 / 1000f], []);

        Assert.Equal(1, accumulator.Result().Median.Pixels);
    }

    [Fact]
    public void Merge_EqualsAddingEverythingToOne()
    {
        var rng = new Random(3);
        float[] truth = [.. Enumerable.Range(0, 200).Select(_ => (float)(rng.NextDouble() * 10))];
        float[] prediction = [.. truth.Select(t => t + (float)(rng.NextDouble() - 0.5))];
        var one = new DepthMetricsAccumulator(Nyu, DepthShots.Nyud2Official());
        var first = new DepthMetricsAccumulator(Nyu, DepthShots.Nyud2Official());
        var second = new DepthMetricsAccumulator(Nyu, DepthShots.Nyud2Official());

        one.Add(prediction, truth, []);
        first.Add(prediction.AsSpan(0, 80), truth.AsSpan(0, 80), []);
        second.Add(prediction.AsSpan(80), truth.AsSpan(80), []);
        first.Merge(second);

        var expected = one.Result();
        var actual = first.Result();
        Assert.Equal(expected.All.Pixels, actual.All.Pixels);
        Assert.Equal(expected.All.Rmse, actual.All.Rmse, 9);
        Assert.Equal(expected.Few.Log10, actual.Few.Log10, 9);
        Assert.Equal(expected.Many.Delta1, actual.Many.Delta1);
        Assert.Equal(200, one.Pixels);
    }

    [Fact]
    public void Result_EmptyGroups_SerialiseAsNull()
    {
        var accumulator = new DepthMetricsAccumulator(Nyu, DepthShots.Nyud2Official());
        accumulator.Add([2f], [2f], []);

        var table = accumulator.Result();
        var json = JsonSerializer.Serialize(table);

        using var document = JsonDocument.Parse(json);
        var few = document.RootElement.GetProperty("Few");
        Assert.Equal(0, few.GetProperty("Pixels").GetInt64());
        Assert.Equal(JsonValueKind.Null, few.GetProperty("Rmse").ValueKind);
        Assert.Equal(JsonValueKind.Null, few.GetProperty("Delta1").ValueKind);
        Assert.Equal(table, JsonSerializer.Deserialize<DepthDirTable>(json));
    }

    [Fact]
    public void Add_MismatchedLengths_Throws()
    {
        var accumulator = new DepthMetricsAccumulator(Nyu, DepthShots.Nyud2Official());

        Assert.Throws<ArgumentException>(() => accumulator.Add([1f], [1f, 2f], []));
        Assert.Throws<ArgumentException>(() => accumulator.Add([1f, 2f], [1f, 2f], [true]));
        Assert.Throws<ArgumentException>(() => new DepthMetricsAccumulator(Nyu, [Shot.Many]));
    }

    [Fact]
    public void ToMarkdown_FormatsThreeDecimalsAndDashForEmpty()
    {
        var summary = new DepthErrorSummary(10, 1.23456, 0.5, 0.1, 0.05, 0.7, 0.9, 0.95);
        var table = new DepthDirTable(summary, summary, summary, DepthErrorSummary.Empty);

        var markdown = table.ToMarkdown("NYUD2 test");

        Assert.StartsWith("### NYUD2 test\n\n| Shot | Pixels | RMSE |", markdown, StringComparison.Ordinal);
        Assert.Contains("| All | 10 | 1.235 | 0.500 | 0.100 | 0.050 | 0.700 | 0.900 | 0.950 |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| Few | 0 | - | - | - | - | - | - | - |\n", markdown, StringComparison.Ordinal);
    }
}
