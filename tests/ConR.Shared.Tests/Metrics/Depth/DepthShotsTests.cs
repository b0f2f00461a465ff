using ConR.Shared.Metrics;
using ConR.Shared.Metrics.Depth;

namespace ConR.Shared.Tests.Metrics.Depth;

public class DepthShotsTests
{
    [Fact]
    public void Nyud2Official_MatchesDigestLists()
    {
        int[] many = [.. Enumerable.Range(9, 37), 47, 49];
        int[] median = [7, 8, 46, 48, .. Enumerable.Range(50, 7), 58, 60, 61, 63];
        int[] few = [57, 59, 62, .. Enumerable.Range(64, 36)];

        var shots = DepthShots.Nyud2Official();

        Assert.Equal(100, shots.Count);
        Assert.Equal(many, Enumerable.Range(0, 100).Where(b => shots[b] == Shot.Many));
        Assert.Equal(median, Enumerable.Range(0, 100).Where(b => shots[b] == Shot.Median));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, .. few], Enumerable.Range(0, 100).Where(b => shots[b] == Shot.Few));
    }

    [Fact]
    public void NyuFractions_ReproduceThePixelThresholds()
    {
        Assert.Equal(7.40e-3, DepthShots.NyuManyFraction, 5);
        Assert.Equal(2.85e-3, DepthShots.NyuFewFraction, 5);
        Assert.Equal(2.6e7, DepthShots.NyuManyFraction * DepthShots.NyuTrainPixels, 3);
        Assert.Equal(1.0e7, DepthShots.NyuFewFraction * DepthShots.NyuTrainPixels, 3);
    }

    [Fact]
    public void FromPixelCounts_ClassifiesByFractionOfTotal()
    {
        // Total 1000: many > 100 (10 %), few < 20 (2 %).
        long[] counts = [0, 101, 100, 20, 19, 760];

        var shots = DepthShots.FromPixelCounts(counts, 0.1, 0.02);

        Assert.Equal([Shot.Few, Shot.Many, Shot.Median, Shot.Median, Shot.Few, Shot.Many], shots);
    }

    [Fact]
    public void FromPixelCounts_ZeroBinIsFewEvenWithZeroFewFraction()
    {
        var shots = DepthShots.FromPixelCounts([0, 10, 10], 0.9, 0);

        Assert.Equal([Shot.Few, Shot.Median, Shot.Median], shots);
    }

    [Fact]
    public void FromPixelCounts_ScaledNyuLikeCounts_MatchesAbsoluteThresholds()
    {
        // The same relative counts at a quarter of the pixels give the same shots.
        long[] full = [0, 30_000_000, 20_000_000, 5_000_000, 3_458_286_656];
        long[] quarter = [.. full.Select(c => c / 4)];

        var expected = DepthShots.FromPixelCounts(full, DepthShots.NyuManyFraction, DepthShots.NyuFewFraction);
        var actual = DepthShots.FromPixelCounts(quarter, DepthShots.NyuManyFraction, DepthShots.NyuFewFraction);

        Assert.Equal([Shot.Few, Shot.Many, Shot.Median, Shot.Few, Shot.Many], expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void FromPixelCounts_InvalidInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => DepthShots.FromPixelCounts([0, 0], 0.1, 0.01));
        Assert.Throws<ArgumentException>(() => DepthShots.FromPixelCounts([-1, 5], 0.1, 0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => DepthShots.FromPixelCounts([1, 5], 0.1, 0.2));
    }
}
