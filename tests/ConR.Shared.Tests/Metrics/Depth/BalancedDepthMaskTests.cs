using ConR.Shared.Imbalance;
using ConR.Shared.Imbalance.Depth;
using ConR.Shared.Metrics.Depth;

namespace ConR.Shared.Tests.Metrics.Depth;

public class BalancedDepthMaskTests
{
    private static readonly LabelBins Nyu = new(0.1, 100);

    private static List<float[]> Maps(int seed)
    {
        var rng = new Random(seed);
        var maps = new List<float[]>();
        for (var m = 0; m < 3; m++)
        {
            // Skewed towards short depths; bins 0..6 populated too, plus some invalid pixels.
            var map = new float[500];
            for (var i = 0; i < map.Length; i++)
            {
                map[i] = i % 50 == 0 ? 0f : (float)(Math.Pow(rng.NextDouble(), 2) * 3.0);
            }

            maps.Add(map);
        }

        return maps;
    }

    /// <summary>Valid pixels per NYUD2 bin, counting only the indices <paramref name="include"/> accepts.</summary>
    private static long[] BinCounts(float[] flat, Func<int, bool> include)
    {
        var counts = new long[Nyu.Count];
        for (var i = 0; i < flat.Length; i++)
        {
            if (flat[i] > 0 && include(i))
            {
                counts[DepthBins.BinOf(Nyu, flat[i])]++;
            }
        }

        return counts;
    }

    [Fact]
    public void Build_SelectsTheSmallestNonZeroCountFromEveryBinAtOrAboveFirst()
    {
        var maps = Maps(1);
        var flat = maps.SelectMany(m => m).ToArray();
        var counts = BinCounts(flat, _ => true);

        var k = counts.Skip(7).Where(c => c > 0).Min();

        var mask = BalancedDepthMask.Build(maps, Nyu, 7, seed: 42).Mask;

        Assert.Equal(flat.Length, mask.Length);
        Assert.All(flat.Where((_, i) => mask[i]), d => Assert.True(d > 0));
        var selected = BinCounts(flat, i => mask[i]);

        for (var b = 0; b < 100; b++)
        {
            Assert.Equal(b < 7 || counts[b] == 0 ? 0 : k, selected[b]);
        }
    }

    [Fact]
    public void Build_SameSeed_SameMask_OtherSeed_OtherMask()
    {
        var maps = Maps(2);

        var a = BalancedDepthMask.Build(maps, Nyu, 7, seed: 5).Mask;
        var b = BalancedDepthMask.Build(maps, Nyu, 7, seed: 5).Mask;
        var c = BalancedDepthMask.Build(maps, Nyu, 7, seed: 6).Mask;

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(a.Count(x => x), c.Count(x => x));
    }

    [Fact]
    public void Build_NoPixelAtOrAboveFirstBin_Throws()
    {
        Assert.Throws<ArgumentException>(() => BalancedDepthMask.Build([[0.1f, 0.2f, 0f]], Nyu, 7, 0));
    }

    [Fact]
    public void Build_WithAFloor_LeavesOutThinBinsNamesThemAndSamplesTheRestEqually()
    {
        var maps = Maps(3);
        var flat = maps.SelectMany(m => m).ToArray();
        var counts = BinCounts(flat, _ => true);

        // A floor between the thinnest and the thickest bin from 0.7 m: both kinds of bin exist.
        var populated = counts.Skip(7).Where(c => c > 0).Order().ToArray();
        var floor = populated[populated.Length / 2];
        var expectedK = populated.Where(c => c >= floor).Min();

        var selection = BalancedDepthMask.Build(maps, Nyu, 7, seed: 42, minBinPixels: floor);

        var selected = BinCounts(flat, i => selection.Mask[i]);

        for (var b = 0; b < 100; b++)
        {
            Assert.Equal(b >= 7 && counts[b] >= floor ? expectedK : 0, selected[b]);
        }

        var summary = selection.Summary;
        Assert.True(expectedK > populated[0], "the floor must raise k above the official rule's");
        Assert.Equal(expectedK, summary.PixelsPerBin);
        Assert.Equal(counts.Skip(7).Count(c => c >= floor), summary.SampledBins);
        Assert.Equal(selected.Sum(), summary.MaskedPixels);
        var leftOut = Enumerable.Range(7, 93).Where(b => counts[b] > 0 && counts[b] < floor).ToArray();
        Assert.Equal(leftOut.Length, summary.LeftOutBins.Count);
        Assert.Equal(leftOut.Sum(b => counts[b]), summary.LeftOutPixels);
        Assert.Equal(leftOut[0] / 10.0, summary.LeftOutBins[0].FromMetres); // exactly: edges are rounded for reports
        Assert.Equal(0.7, summary.FromMetres);
        Assert.Contains($"bins under {floor:N0} pixels left out: {leftOut.Length} within", summary.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_OfficialRule_LeavesNothingOutAndSaysSo()
    {
        var summary = BalancedDepthMask.Build(Maps(4), Nyu, 7, seed: 1).Summary;

        Assert.Empty(summary.LeftOutBins);
        Assert.Equal(BalancedDepthMask.OfficialMinBinPixels, summary.MinBinPixels);
        Assert.Contains("official rule", summary.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_FloorAboveEveryBin_IsRefusedWithTheFloorNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => BalancedDepthMask.Build(Maps(5), Nyu, 7, 0, minBinPixels: 1_000_000));

        Assert.Contains("1000000 valid pixels", error.Message, StringComparison.Ordinal);
    }
}
