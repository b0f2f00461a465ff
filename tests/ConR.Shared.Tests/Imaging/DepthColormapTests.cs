using ConR.Shared.Imaging;

namespace ConR.Shared.Tests.Imaging;

public sealed class DepthColormapTests
{
    private const int Steps = 400;

    [Fact]
    public void Endpoints_AreTurboDarkBlueAndDarkRed()
    {
        Assert.Equal(((byte)48, (byte)18, (byte)59), DepthColormap.Map(0f));
        Assert.Equal(((byte)122, (byte)4, (byte)3), DepthColormap.Map(1f));
    }

    [Fact]
    public void OutOfRange_IsClampedAndNaNIsNoData()
    {
        Assert.Equal(DepthColormap.Map(0f), DepthColormap.Map(-3f));
        Assert.Equal(DepthColormap.Map(0f), DepthColormap.Map(float.NegativeInfinity));
        Assert.Equal(DepthColormap.Map(1f), DepthColormap.Map(7f));
        Assert.Equal(DepthColormap.Map(1f), DepthColormap.Map(float.PositiveInfinity));
        Assert.Equal(DepthColormap.NoData, DepthColormap.Map(float.NaN));
        Assert.Equal(((byte)0, (byte)0, (byte)0), DepthColormap.NoData);
    }

    [Fact]
    public void MapDepth_ScalesByMaxDepth()
    {
        Assert.Equal(DepthColormap.Map(0.25f), DepthColormap.MapDepth(2.5f, 10f));
        Assert.ThrowsAny<ArgumentException>(() => DepthColormap.MapDepth(1f, 0f));
    }

    [Fact]
    public void Hue_FallsMonotonicallyFromBlueToRed()
    {
        var previous = double.PositiveInfinity;
        for (var i = 0; i <= Steps; i++)
        {
            var hue = Hue(DepthColormap.Map(i / (float)Steps));
            Assert.True(hue <= previous + 1.0, $"hue rises at t = {i / (double)Steps}: {previous:F1} -> {hue:F1}");
            previous = hue;
        }

        Assert.InRange(Hue(DepthColormap.Map(0f)), 240, 300);
        Assert.InRange(Hue(DepthColormap.Map(0.5f)), 60, 150);
        Assert.InRange(Hue(DepthColormap.Map(1f)), 0, 15);
    }

    [Fact]
    public void Luminance_RisesToTheMiddleThenFalls()
    {
        var luminance = Enumerable.Range(0, Steps + 1).Select(i => Luminance(DepthColormap.Map(i / (float)Steps))).ToArray();
        var peak = Array.IndexOf(luminance, luminance.Max());

        Assert.InRange(peak / (double)Steps, 0.4, 0.6);
        for (var i = 1; i <= peak; i++)
        {
            Assert.True(luminance[i] >= luminance[i - 1] - 0.01, $"luminance dips at t = {i / (double)Steps}");
        }

        for (var i = peak + 1; i <= Steps; i++)
        {
            Assert.True(luminance[i] <= luminance[i - 1] + 0.01, $"luminance rises at t = {i / (double)Steps}");
        }

        Assert.True(luminance[0] < 0.2 && luminance[^1] < 0.2, "both ends should be dark");
        Assert.True(luminance[peak] > 0.7, "the middle should be bright");
    }

    [Fact]
    public void AdjacentColours_ChangeSmoothly()
    {
        for (var i = 1; i <= Steps; i++)
        {
            var (r0, g0, b0) = DepthColormap.Map((i - 1) / (float)Steps);
            var (r1, g1, b1) = DepthColormap.Map(i / (float)Steps);
            var jump = Math.Max(Math.Abs(r1 - r0), Math.Max(Math.Abs(g1 - g0), Math.Abs(b1 - b0)));
            Assert.True(jump <= 8, $"colour jumps by {jump} at t = {i / (double)Steps}");
        }
    }

    private static double Hue((byte R, byte G, byte B) c)
    {
        double r = c.R / 255.0, g = c.G / 255.0, b = c.B / 255.0;
        var max = Math.Max(r, Math.Max(g, b));
        var min = Math.Min(r, Math.Min(g, b));
        var delta = max - min;
        if (delta == 0)
        {
            return 0;
        }

        var hue = max == r ? 60 * (((g - b) / delta) % 6)
            : max == g ? 60 * (((b - r) / delta) + 2)
            : 60 * (((r - g) / delta) + 4);
        return hue < 0 ? hue + 360 : hue;
    }

    // Rec. 709 luma of the gamma-encoded channels: a cheap monotone stand-in for perceived lightness.
    private static double Luminance((byte R, byte G, byte B) c) =>
        ((0.2126 * c.R) + (0.7152 * c.G) + (0.0722 * c.B)) / 255.0;
}
