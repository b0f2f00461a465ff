using ConR.Shared.Imbalance;

namespace ConR.Shared.Tests.Imbalance;

public class LabelBinsTests
{
    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(35.0, 35)]
    [InlineData(35.99, 35)]
    [InlineData(-1.0, 0)]
    [InlineData(120.0, 120)]
    [InlineData(150.5, 120)]
    [InlineData(double.PositiveInfinity, 120)]
    public void BinOf_Age_FloorsAndClampsToMaxBin(double label, int expected)
    {
        Assert.Equal(expected, LabelBins.Age.BinOf(label));
    }

    [Fact]
    public void Age_Has121BinsOfOneYear()
    {
        Assert.Equal(121, LabelBins.Age.Count);
        Assert.Equal(120, LabelBins.Age.MaxBin);
        Assert.Equal(1.0, LabelBins.Age.Width);
        Assert.Equal(0.0, LabelBins.Age.Start);
    }

    [Theory]
    [InlineData(0.3, 3)]
    [InlineData(0.7, 7)]
    [InlineData(0.29, 2)]
    [InlineData(9.95, 99)]
    [InlineData(12.0, 99)]
    public void BinOf_DepthTenthMetre_MatchesPythonIntOfTimesTen(double metres, int expected)
    {
        // 0.3 / 0.1 = 2.9999999999999996 in doubles; NYUD2 uses int(0.3 * 10) = 3.
        var depth = new LabelBins(0.1, 100);

        Assert.Equal(expected, depth.BinOf(metres));
    }

    [Fact]
    public void LowerEdge_WithStart_IsStartPlusBinTimesWidth()
    {
        var bins = new LabelBins(5, 4, start: 10);

        Assert.Equal(10.0, bins.LowerEdge(0));
        Assert.Equal(25.0, bins.LowerEdge(3));
        Assert.Equal(30.0, bins.LowerEdge(4));
        Assert.Equal(1, bins.BinOf(15));
        Assert.Throws<ArgumentOutOfRangeException>(() => bins.LowerEdge(5));
    }

    [Fact]
    public void BinOf_NaN_Throws()
    {
        Assert.Throws<ArgumentException>(() => LabelBins.Age.BinOf(double.NaN));
    }

    [Theory]
    [InlineData(0.0, 10)]
    [InlineData(-1.0, 10)]
    [InlineData(1.0, 0)]
    public void Constructor_InvalidWidthOrCount_Throws(double width, int count)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LabelBins(width, count));
    }
}
