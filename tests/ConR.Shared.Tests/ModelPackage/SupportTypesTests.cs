using System.Text;
using ConR.Shared.Imbalance;
using ConR.Shared.Metrics;
using ConR.Shared.ModelPackage;
using ConR.Shared.Preprocessing;

namespace ConR.Shared.Tests.ModelPackage;

public class SupportTypesTests
{
    [Theory]
    [InlineData(Shot.Many, "many")]
    [InlineData(Shot.Median, "median")]
    [InlineData(Shot.Few, "few")]
    public void ShotLabels_EachShot_RoundTrips(Shot shot, string label)
    {
        Assert.Equal(label, ShotLabels.ToLabel(shot));
        Assert.Equal(shot, ShotLabels.Parse(label));
    }

    [Theory]
    [InlineData("Many")]
    [InlineData("")]
    [InlineData(null)]
    public void ShotLabels_NotExactLowerCase_IsRejected(string? label)
    {
        Assert.False(ShotLabels.TryParse(label, out _));
    }

    [Fact]
    public void Sha256File_Abc_MatchesFips180Vector()
    {
        var path = Path.Combine(Path.GetTempPath(), $"conr-sha-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("abc"));
        try
        {
            Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256File.Of(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", true)]
    [InlineData("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", true)]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a", false)]
    [InlineData("za7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", false)]
    [InlineData(null, false)]
    public void Sha256File_IsDigest_Requires64Hex(string? digest, bool expected)
    {
        Assert.Equal(expected, Sha256File.IsDigest(digest));
    }

    [Fact]
    public void InputSpecCard_FromImageSpec_RoundTripsTheSpec()
    {
        var spec = ImageSpec.Age(96);

        var card = InputSpecCard.FromImageSpec(spec);
        var back = card.ToImageSpec();

        Assert.Equal(("image", "float32", "NCHW", "RGB", "stretch-bilinear", true), (card.Name, card.ElementType, card.Layout, card.ChannelOrder, card.ResizeRule, card.DynamicBatch));
        Assert.Equal((96, 96), (back.Width, back.Height));
        Assert.Equal(spec.Mean, back.Mean);
        Assert.Equal(spec.Std, back.Std);
    }

    [Fact]
    public void HistogramCard_From_ClassifiesShotsAndRoundTripsCounts()
    {
        var histogram = LabelHistogram.FromCounts([150, 100, 20, 19, 0], new LabelBins(1, 5, 10));

        var card = HistogramCard.From(histogram, new ShotThresholds(), HistogramCard.Samples);
        var back = card.ToLabelHistogram();

        Assert.Equal(new[] { "many", "median", "median", "few", "few" }, card.Shots);
        Assert.Equal(histogram.Counts, back.Counts);
        Assert.Equal(150, back.CountFor(10.5));
    }
}
