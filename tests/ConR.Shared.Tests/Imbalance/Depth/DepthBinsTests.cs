using ConR.Shared.Imbalance.Depth;

namespace ConR.Shared.Tests.Imbalance.Depth;

public class DepthBinsTests
{
    [Fact]
    public void BinOf_MillimetreEdges_LandOnTheirBin()
    {
        for (var k = 0; k < 100; k++)
        {
            var fromMillimetres = (k * 100) / 1000f;
            var fromDecimal = float.Parse($"0{k / 10}.{k % 10}", System.Globalization.CultureInfo.InvariantCulture);

            Assert.Equal(k, DepthBins.BinOf(DepthBins.Nyu, fromMillimetres));
            Assert.Equal(k, DepthBins.BinOf(DepthBins.Nyu, fromDecimal));
        }
    }

    [Fact]
    public void BinOf_FloatJustBelowEdge_IsLowerBinUnlessWithinOneUlp()
    {
        Assert.True(0.7f < 0.7); // the float is below the decimal edge in double
        Assert.Equal(7, DepthBins.BinOf(DepthBins.Nyu, 0.7f));
        Assert.Equal(6, DepthBins.BinOf(DepthBins.Nyu, 0.6999f));
        Assert.Equal(6, DepthBins.BinOf(DepthBins.Nyu, MathF.BitDecrement(MathF.BitDecrement(0.7f))));
        Assert.Equal(20, DepthBins.BinOf(DepthBins.Nyu, 2.05f));
    }

    [Fact]
    public void BinOf_OutOfRange_IsClamped_NaNThrows()
    {
        Assert.Equal(99, DepthBins.BinOf(DepthBins.Nyu, 12.5f));
        Assert.Equal(99, DepthBins.BinOf(DepthBins.Nyu, float.PositiveInfinity));
        Assert.Equal(0, DepthBins.BinOf(DepthBins.Nyu, -1f));
        Assert.Throws<ArgumentException>(() => DepthBins.BinOf(DepthBins.Nyu, float.NaN));
    }
}
