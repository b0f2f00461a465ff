using ConR.Training.Reporting;

namespace ConR.Training.Tests.Reporting;

public sealed class RunPlotsTests
{
    // The title is drawn in the top band of every chart; dark pixels there mean the text rendered.
    private const int TitleBand = 45;

    [Fact]
    public void WriteLossCurves_WritesChartWithTitleText()
    {
        var path = PngAssert.OutputPath("loss-curves.png");
        var epochs = Enumerable.Range(1, 40)
            .Select(e => new EpochPoint(e, 12 * Math.Exp(-e / 10.0) + 4, 3 * Math.Exp(-e / 15.0) + 1.5, 10 * Math.Exp(-e / 12.0) + 6 + (0.3 * Math.Sin(e))))
            .ToList();

        RunPlots.WriteLossCurves(path, epochs);

        using var image = PngAssert.IsPicture(path, RunPlots.ChartWidth, RunPlots.ChartHeight);
        Assert.True(PngAssert.DarkPixels(image, 0, 0, RunPlots.ChartWidth, TitleBand) > 100, "title text missing");
    }

    [Fact]
    public void WriteLossCurves_SingleEpochAndNonFiniteValues_StillDraws()
    {
        var path = PngAssert.OutputPath("loss-curves-degenerate.png");
        RunPlots.WriteLossCurves(path, [new EpochPoint(0, double.NaN, 0, 7.5), new EpochPoint(1, 3, double.PositiveInfinity, double.NaN)]);

        using var image = PngAssert.IsPicture(path, RunPlots.ChartWidth, RunPlots.ChartHeight);
    }

    [Fact]
    public void WriteErrorByLabel_WritesChart()
    {
        var path = PngAssert.OutputPath("error-by-label.png");
        var (labels, predictions, histogram) = AgeLikeData();

        RunPlots.WriteErrorByLabel(path, labels, predictions, histogram, 1, "AgeDB-DIR test: MAE per age", "years");

        using var image = PngAssert.IsPicture(path, RunPlots.ChartWidth, RunPlots.ChartHeight);
        Assert.True(PngAssert.DarkPixels(image, 0, 0, RunPlots.ChartWidth, TitleBand) > 100, "title text missing");
    }

    [Fact]
    public void WriteErrorByLabel_LabelsBeyondHistogramAndEmptyBins_AreAccepted()
    {
        var path = PngAssert.OutputPath("error-by-label-sparse.png");

        RunPlots.WriteErrorByLabel(path, [0.05, 0.35, 2.5, 9.0], [0.1, 0.2, 2.0, 8.0], [500, 120, 30, 5, 0], 0.5, "Sparse", "m");

        using var image = PngAssert.IsPicture(path, RunPlots.ChartWidth, RunPlots.ChartHeight);
    }

    [Fact]
    public void WriteBarChart_WritesGroupedBars()
    {
        var path = PngAssert.OutputPath("bar-chart.png");
        string[] methods = ["Vanilla", "LDS+FDS", "RankSim", "Balanced MSE"];
        (string, IReadOnlyList<double>)[] series =
        [
            ("without ConR", [12.6, 11.4, 10.9, 11.2]),
            ("with ConR", [10.8, 10.1, 9.9, double.NaN]),
        ];

        RunPlots.WriteBarChart(path, "Few-shot MAE per method with and without ConR", methods, series, "Few-shot MAE (years)");

        using var image = PngAssert.IsPicture(path, RunPlots.ChartWidth, RunPlots.ChartHeight);
        Assert.True(PngAssert.DarkPixels(image, 0, 0, RunPlots.ChartWidth, TitleBand) > 100, "title text missing");
    }

    [Fact]
    public void WriteDepthPanel_WritesPanelOfExpectedSize()
    {
        var path = PngAssert.OutputPath("depth-panel.png");
        const int width = 64;
        const int height = 48;
        const float maxDepth = 10f;
        var scenes = Enumerable.Range(0, 3).Select(s => DepthScene(width, height, maxDepth, s)).ToList();

        RunPlots.WriteDepthPanel(path, scenes, width, height, maxDepth);

        var (expectedWidth, expectedHeight) = RunPlots.DepthPanelSize(width, height, scenes.Count);
        using var image = PngAssert.IsPicture(path, expectedWidth, expectedHeight, minimumColours: 64);
        Assert.True(PngAssert.DarkPixels(image, 0, 0, expectedWidth, 40) > 100, "column titles missing");
    }

    [Fact]
    public void DepthPanelSize_EnlargesSmallImagesOnly()
    {
        var small = RunPlots.DepthPanelSize(32, 24, 1);
        var large = RunPlots.DepthPanelSize(640, 480, 2);

        Assert.True(small.Width > 3 * 256 && small.Height > 192, $"small images should be enlarged: {small}");
        Assert.True(large.Width > 3 * 640 && large.Height > 2 * 480, $"large images keep their size: {large}");
        Assert.True(large.Width < (3 * 640) + 300, $"large images are not enlarged: {large}");
    }

    [Fact]
    public void EmptyInputs_AreRejected()
    {
        var path = PngAssert.OutputPath("never-written.png");
        (string, IReadOnlyList<double>)[] oneSeries = [("a", [1.0])];

        Assert.Throws<ArgumentException>(() => RunPlots.WriteLossCurves(path, []));
        Assert.Throws<ArgumentException>(() => RunPlots.WriteErrorByLabel(path, [], [], [1, 2], 1, "t", "years"));
        Assert.Throws<ArgumentException>(() => RunPlots.WriteErrorByLabel(path, [1.0], [1.0], [], 1, "t", "years"));
        Assert.Throws<ArgumentException>(() => RunPlots.WriteBarChart(path, "t", [], oneSeries, "y"));
        Assert.Throws<ArgumentException>(() => RunPlots.WriteBarChart(path, "t", ["a"], [], "y"));
        Assert.Throws<ArgumentException>(() => RunPlots.WriteDepthPanel(path, [], 4, 4, 10f));
        Assert.ThrowsAny<ArgumentException>(() => RunPlots.WriteLossCurves(" ", [new EpochPoint(1, 1, 1, 1)]));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void InconsistentInputs_AreRejected()
    {
        var path = PngAssert.OutputPath("never-written-either.png");
        var rgb = new float[4 * 4 * 3];
        var depth = new float[4 * 4];
        (string, IReadOnlyList<double>)[] shortSeries = [("a", [1.0])];

        Assert.Throws<ArgumentException>(() => RunPlots.WriteErrorByLabel(path, [1.0, 2.0], [1.0], [1, 2], 1, "t", "years"));
        Assert.Throws<ArgumentException>(() => RunPlots.WriteErrorByLabel(path, [double.NaN], [1.0], [1, 2], 1, "t", "years"));
        Assert.ThrowsAny<ArgumentException>(() => RunPlots.WriteErrorByLabel(path, [1.0], [1.0], [1, 2], 0, "t", "years"));
        Assert.Throws<ArgumentException>(() => RunPlots.WriteBarChart(path, "t", ["a", "b"], shortSeries, "y"));
        Assert.Throws<ArgumentException>(() => RunPlots.WriteDepthPanel(path, [(rgb, depth, new float[3])], 4, 4, 10f));
        Assert.ThrowsAny<ArgumentException>(() => RunPlots.WriteDepthPanel(path, [(rgb, depth, depth)], 4, 4, 0f));
        Assert.ThrowsAny<ArgumentException>(() => RunPlots.WriteDepthPanel(path, [(rgb, depth, depth)], 0, 4, 10f));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Write_CreatesMissingFolders()
    {
        var folder = Path.Combine(Path.GetTempPath(), "conr-plots-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(folder, "nested", "bars.png");
            RunPlots.WriteBarChart(path, "t", ["a", "b"], [("s", [1.0, 2.0])], "y");
            using var image = PngAssert.IsPicture(path, RunPlots.ChartWidth, RunPlots.ChartHeight);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void DepthPanelTicks_AreRoundNumbersUpToMaxDepth()
    {
        Assert.Equal([0, 2, 4, 6, 8, 10], ColourBarScale.Ticks(10));
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8], ColourBarScale.Ticks(0.8));
        Assert.Equal([0, 2.5, 5, 7.5, 10, 12.5], ColourBarScale.Ticks(12.5));
    }

    [Fact]
    public void BundledFont_CoversLabelCharacters()
    {
        Assert.True(ReportFonts.Regular.GlyphCount > 200);
        Assert.True(ReportFonts.Regular.ContainsGlyphs("Epoch L_ConR MAE (years) 0.123 ±°µ–≤λτ²"));
        Assert.True(ReportFonts.Bold.ContainsGlyphs("Few-shot MAE per method"));
        Assert.True(ReportFonts.Bold.FontWeight > ReportFonts.Regular.FontWeight);
    }

    private static (double[] Labels, double[] Predictions, long[] Histogram) AgeLikeData()
    {
        var random = new Random(7);
        var histogram = new long[101];
        for (var age = 0; age < histogram.Length; age++)
        {
            histogram[age] = (long)Math.Round(400 * Math.Exp(-Math.Pow((age - 35) / 14.0, 2)));
        }

        var labels = new List<double>();
        var predictions = new List<double>();
        for (var age = 0; age < histogram.Length; age++)
        {
            var tests = histogram[age] > 0 ? 3 + (int)(histogram[age] / 40) : (age % 7 == 0 ? 1 : 0);
            for (var k = 0; k < tests; k++)
            {
                labels.Add(age + random.NextDouble());
                var spread = 4 + (40.0 / (1 + histogram[age]));
                predictions.Add(age + ((random.NextDouble() - 0.5) * 2 * spread));
            }
        }

        return (labels.ToArray(), predictions.ToArray(), histogram);
    }

    private static (float[] Rgb, float[] Truth, float[] Prediction) DepthScene(int width, int height, float maxDepth, int seed)
    {
        var random = new Random(seed);
        var rgb = new float[width * height * 3];
        var truth = new float[width * height];
        var prediction = new float[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var p = (y * width) + x;
                var depth = maxDepth * (0.1f + (0.85f * x / (width - 1))) * (1 - (0.3f * y / height)) * (1 + (0.1f * seed));
                truth[p] = (x + y + seed) % 23 == 0 ? float.NaN : depth;
                prediction[p] = depth + (float)((random.NextDouble() - 0.5) * 0.8);
                rgb[(p * 3) + 0] = (float)x / width;
                rgb[(p * 3) + 1] = (float)y / height;
                rgb[(p * 3) + 2] = 0.3f + (0.2f * seed);
            }
        }

        return (rgb, truth, prediction);
    }
}
