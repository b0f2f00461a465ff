using ConR.Shared.Calibration;
using ConR.Shared.Imaging;
using ConR.Training.Depth.Export;
using ConR.Training.Reporting;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Training.Tests.Reporting;

/// <summary>The depth panel's fourth column: interval widths from a calibration table, in greys with their own colour bar.</summary>
public sealed class DepthPanelWidthColumnTests
{
    private const int Width = 9;
    private const int Height = 6;
    private const float MaxWidth = 1f;

    // Half-widths at 0.9 per 1 m range of predicted depth; the other levels only make the table complete.
    private static readonly (double From, double To, double HalfWidth)[] Ranges = [(0, 1, 0.2), (1, 2, 0.5), (2, 3, 0.9)];

    [Fact]
    public void WriteDepthPanel_WithWidthColumn_HasTheExpectedPixelSize()
    {
        var path = PngAssert.OutputPath("depth-panel-widths.png");
        var scenes = Enumerable.Range(0, 4).Select(Scene).ToList();

        RunPlots.WriteDepthPanel(path, scenes, Width, Height, 4f, Widths(scenes));

        var (expectedWidth, expectedHeight) = RunPlots.DepthPanelSize(Width, Height, scenes.Count, withWidthColumn: true);
        var threeColumns = RunPlots.DepthPanelSize(Width, Height, scenes.Count);
        var layout = new DepthPanelLayout(Width, Height, scenes.Count, withWidthColumn: true);
        Assert.Equal(threeColumns.Height, expectedHeight);
        Assert.True(expectedWidth >= threeColumns.Width + layout.CellWidth, $"no room for a fourth column: {expectedWidth} vs {threeColumns.Width}");
        using var image = PngAssert.IsPicture(path, expectedWidth, expectedHeight, minimumColours: 64);
        Assert.True(PngAssert.DarkPixels(image, layout.WidthCellLeft, 0, layout.CellWidth, layout.GridTop) > 100, "width column title missing");
    }

    [Fact]
    public void WidthColumnPixels_HaveTheColourOfTheirCalibratedHalfWidth()
    {
        var path = PngAssert.OutputPath("depth-panel-width-colours.png");
        var scenes = Enumerable.Range(0, 2).Select(Scene).ToList();
        scenes[1].Prediction[(2 * Width) + 4] = float.NaN;

        RunPlots.WriteDepthPanel(path, scenes, Width, Height, 4f, Widths(scenes));

        var layout = new DepthPanelLayout(Width, Height, scenes.Count, withWidthColumn: true);
        using var image = Image.Load<Rgba32>(path);
        for (var row = 0; row < scenes.Count; row++)
        {
            for (var p = 0; p < Width * Height; p++)
            {
                int x = p % Width, y = p / Width;
                var prediction = scenes[row].Prediction[p];
                // The half-width read off the table by hand, not through the code under test.
                var expected = float.IsNaN(prediction)
                    ? IntervalWidthColormap.NoData
                    : IntervalWidthColormap.Map((float)Ranges.Single(r => prediction >= r.From && prediction < r.To).HalfWidth / MaxWidth);
                var pixel = image[layout.WidthCellLeft + (x * layout.Scale) + (layout.Scale / 2), layout.CellTop(row) + (y * layout.Scale) + (layout.Scale / 2)];
                Assert.Equal(expected, (pixel.R, pixel.G, pixel.B));
            }
        }
    }

    [Fact]
    public void WidthColourBar_UsesTheWidthPaletteFromLightAtZeroToDarkAtTheTop()
    {
        var path = PngAssert.OutputPath("depth-panel-width-bar.png");
        var scenes = Enumerable.Range(0, 2).Select(Scene).ToList();

        RunPlots.WriteDepthPanel(path, scenes, Width, Height, 4f, Widths(scenes));

        var layout = new DepthPanelLayout(Width, Height, scenes.Count, withWidthColumn: true);
        using var image = Image.Load<Rgba32>(path);
        var x = layout.WidthBarLeft + (DepthPanelLayout.ColourBarWidth / 2);
        foreach (var y in new[] { 2, layout.GridHeight / 2, layout.GridHeight - 3 })
        {
            var pixel = image[x, layout.GridTop + y];
            Assert.Equal(IntervalWidthColormap.Map(1f - ((y + 0.5f) / layout.GridHeight)), (pixel.R, pixel.G, pixel.B));
        }
    }

    [Fact]
    public void WidthPalette_IsGreyDarkensWithWidthAndIsNotTheDepthPalette()
    {
        var previous = 256;
        for (var k = 0; k <= 20; k++)
        {
            var (r, g, b) = IntervalWidthColormap.Map(k / 20f);
            Assert.True(r == g && g == b, $"t = {k / 20f}: ({r}, {g}, {b}) is not grey");
            Assert.True(r < previous, $"t = {k / 20f}: not darker than the step before");
            previous = r;
            Assert.NotEqual(DepthColormap.Map(k / 20f), (r, g, b));
        }

        Assert.Equal(IntervalWidthColormap.Map(0f), IntervalWidthColormap.Map(-1f));
        Assert.Equal(IntervalWidthColormap.Map(1f), IntervalWidthColormap.Map(float.PositiveInfinity));
        Assert.Equal(IntervalWidthColormap.NoData, IntervalWidthColormap.Map(float.NaN));
    }

    [Fact]
    public void ColourBarTop_IsTheFirstTickAtOrAboveTheValue()
    {
        Assert.Equal(0.8, ColourBarScale.Top(0.73), 9);
        Assert.Equal(1.5, ColourBarScale.Top(1.37), 9);
        Assert.Equal(1.0, ColourBarScale.Top(1.0), 9);
        Assert.Equal(1.0, ColourBarScale.Top(0), 9);
        Assert.Equal(1.0, ColourBarScale.Top(double.NaN), 9);
        Assert.Equal(ColourBarScale.Top(0.73), ColourBarScale.Ticks(ColourBarScale.Top(0.73))[^1], 9);
    }

    [Fact]
    public void WidthColumn_ThatDoesNotFitTheScenes_IsRefused()
    {
        var path = PngAssert.OutputPath("never-written-widths.png");
        var scenes = Enumerable.Range(0, 2).Select(Scene).ToList();
        var fits = Widths(scenes);

        Assert.Throws<ArgumentException>(() => RunPlots.WriteDepthPanel(path, scenes, Width, Height, 4f, fits with { Widths = [fits.Widths[0]] }));
        Assert.Throws<ArgumentException>(() => RunPlots.WriteDepthPanel(path, scenes, Width, Height, 4f, fits with { Widths = [fits.Widths[0], new float[3]] }));
        Assert.ThrowsAny<ArgumentException>(() => RunPlots.WriteDepthPanel(path, scenes, Width, Height, 4f, fits with { MaxWidth = 0 }));
        Assert.ThrowsAny<ArgumentException>(() => RunPlots.WriteDepthPanel(path, scenes, Width, Height, 4f, fits with { Title = " " }));
        Assert.False(File.Exists(path));
    }

    // Widths through the path the depth-panel command takes: the table's own HalfWidths at the panel's level.
    private static DepthPanelWidths Widths(IReadOnlyList<(float[] Rgb, float[] Truth, float[] Prediction)> scenes) =>
        new("90% interval half-width", "Half-width (m)", [.. scenes.Select(s => DepthPackagePanel.HalfWidths(Table(), s.Prediction))], MaxWidth);

    private static CalibrationTable Table() => new(
        new CalibrationOptions(1, 0, [0.8, 0.9, 0.95]).KeyedOn(CalibrationKeys.Prediction),
        [.. Ranges.Select(r => new CalibrationRange(r.From, r.To, 100, new Dictionary<string, double> { ["0.8"] = r.HalfWidth / 2, ["0.9"] = r.HalfWidth, ["0.95"] = r.HalfWidth * 2 }, 1, false))],
        0,
        10);

    // Predictions cycle through the three ranges along x, shifted per scene, so every column and row mixes them.
    private static (float[] Rgb, float[] Truth, float[] Prediction) Scene(int seed)
    {
        var rgb = new float[Width * Height * 3];
        var truth = new float[Width * Height];
        var prediction = new float[Width * Height];
        for (var p = 0; p < truth.Length; p++)
        {
            int x = p % Width, y = p / Width;
            prediction[p] = 0.25f + ((x + y + seed) % 3) + (0.1f * (y % 5));
            truth[p] = prediction[p] + 0.1f;
            rgb[(p * 3) + 0] = (float)x / Width;
            rgb[(p * 3) + 1] = (float)y / Height;
            rgb[(p * 3) + 2] = 0.2f * seed;
        }

        return (rgb, truth, prediction);
    }
}
