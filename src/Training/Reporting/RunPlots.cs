using System.Globalization;
using ConR.Shared.Imaging;
using ConR.Shared.Imbalance;
using ConR.Shared.Metrics;
using ScottPlot;
using ScottPlot.Plottables;
using ScottPlot.TickGenerators;

namespace ConR.Training.Reporting;

/// <summary>
/// PNG figures for training reports. Charts are drawn with ScottPlot at
/// <see cref="ChartWidth"/> × <see cref="ChartHeight"/> pixels, the depth panel with SkiaSharp
/// (<see cref="DepthPanelSize"/>). All text uses a font bundled with the assembly, so the output does
/// not depend on the fonts a machine has. Missing parent folders of the PNG path are created.
/// </summary>
public static class RunPlots
{
    /// <summary>Width in pixels of the loss, error-by-label and bar charts.</summary>
    public const int ChartWidth = 1000;

    /// <summary>Height in pixels of the loss, error-by-label and bar charts.</summary>
    public const int ChartHeight = 600;

    private static readonly Color RegressionColor = Color.FromHex("#1f77b4");
    private static readonly Color ConRColor = Color.FromHex("#ff7f0e");
    private static readonly Color ValidationColor = Color.FromHex("#2ca02c");
    private static readonly Color ErrorColor = Color.FromHex("#d62728");
    private static readonly Color ManyShotFill = Color.FromHex("#b9c8da");
    private static readonly Color MedianShotFill = Color.FromHex("#f3d9a4");
    private static readonly Color FewShotFill = Color.FromHex("#f2b8b5");

    /// <summary>
    /// Training L_R and L_ConR (left axis) and validation MAE (right axis) per epoch, with the best
    /// validation epoch marked. Non-finite values are left out of their curve.
    /// </summary>
    /// <exception cref="ArgumentException">No epochs, or a blank path.</exception>
    public static void WriteLossCurves(string pngPath, IReadOnlyList<EpochPoint> epochs, string validationMetric = "MAE")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pngPath);
        ArgumentNullException.ThrowIfNull(epochs);
        RequireNonEmpty(epochs.Count, nameof(epochs));
        if (epochs.Any(e => e is null))
        {
            throw new ArgumentException("Epochs must not contain null.", nameof(epochs));
        }

        var plot = NewPlot();
        var xs = epochs.Select(e => (double)e.Epoch).ToArray();
        AddCurve(plot, xs, epochs.Select(e => e.TrainRegressionLoss).ToArray(), "Train L_R (regression)", RegressionColor, plot.Axes.Left, LinePattern.Solid);
        AddCurve(plot, xs, epochs.Select(e => e.TrainConRLoss).ToArray(), "Train L_ConR", ConRColor, plot.Axes.Left, LinePattern.Solid);
        var val = AddCurve(plot, xs, epochs.Select(e => e.ValMae).ToArray(), $"Validation {validationMetric} (right axis)", ValidationColor, plot.Axes.Right, LinePattern.Dashed);

        var best = epochs.Where(e => double.IsFinite(e.ValMae)).MinBy(e => e.ValMae);
        if (best is not null && val is not null)
        {
            var marker = plot.Add.Marker(best.Epoch, best.ValMae, MarkerShape.FilledDiamond, 14, ValidationColor);
            marker.Axes.YAxis = plot.Axes.Right;
            marker.LegendText = string.Create(CultureInfo.InvariantCulture, $"Best validation {validationMetric} {best.ValMae:0.###} (epoch {best.Epoch})");
        }

        plot.Title("Training curves");
        plot.XLabel("Epoch");
        plot.YLabel("Training loss");
        plot.Axes.Right.Label.Text = $"Validation {validationMetric}";
        plot.Axes.Right.Label.ForeColor = ValidationColor;
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        ShowLegendBelow(plot);
        Save(plot, pngPath);
    }

    /// <summary>
    /// Test MAE per label bin (line, left axis) over the training histogram (light bars, right axis)
    /// coloured by DIR shot group (many &gt; 100, few &lt; 20 training samples). Bin b of
    /// <paramref name="trainHistogram"/> covers [b·binWidth, (b+1)·binWidth); labels beyond the last
    /// bin count in it, as in <see cref="LabelBins"/>. Bins without test samples leave gaps.
    /// </summary>
    /// <param name="pngPath">Output file.</param>
    /// <param name="labels">True labels y of the test samples; finite.</param>
    /// <param name="predictions">Predictions ŷ, one per label.</param>
    /// <param name="trainHistogram">Training counts per bin, from label 0.</param>
    /// <param name="binWidth">Bin width in label units; &gt; 0.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="labelUnit">Unit of labels and errors for the axis titles ("years", "m").</param>
    /// <exception cref="ArgumentException">Empty inputs, mismatched lengths, or a non-finite label.</exception>
    public static void WriteErrorByLabel(
        string pngPath,
        IReadOnlyList<double> labels,
        IReadOnlyList<double> predictions,
        IReadOnlyList<long> trainHistogram,
        double binWidth,
        string title,
        string labelUnit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pngPath);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(trainHistogram);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(labelUnit);
        RequireNonEmpty(labels.Count, nameof(labels));
        RequireNonEmpty(trainHistogram.Count, nameof(trainHistogram));
        if (predictions.Count != labels.Count)
        {
            throw new ArgumentException($"Got {predictions.Count} predictions for {labels.Count} labels.", nameof(predictions));
        }

        if (!(binWidth > 0) || double.IsInfinity(binWidth))
        {
            throw new ArgumentOutOfRangeException(nameof(binWidth), binWidth, "Bin width must be positive and finite.");
        }

        if (labels.Any(y => !double.IsFinite(y)))
        {
            throw new ArgumentException("Labels must be finite.", nameof(labels));
        }

        if (trainHistogram.Any(c => c < 0))
        {
            throw new ArgumentException("Histogram counts must not be negative.", nameof(trainHistogram));
        }

        var bins = new LabelBins(binWidth, trainHistogram.Count);
        var errorSum = new double[bins.Count];
        var testCount = new int[bins.Count];
        for (var i = 0; i < labels.Count; i++)
        {
            var bin = bins.BinOf(labels[i]);
            errorSum[bin] += Math.Abs(predictions[i] - labels[i]);
            testCount[bin]++;
        }

        var plot = NewPlot();
        var thresholds = new ShotThresholds();
        var shotBars = new Dictionary<Shot, List<Bar>> { [Shot.Many] = [], [Shot.Median] = [], [Shot.Few] = [] };
        for (var b = 0; b < bins.Count; b++)
        {
            var shot = thresholds.Classify(trainHistogram[b]);
            shotBars[shot].Add(new Bar
            {
                Position = Centre(bins, b),
                Value = trainHistogram[b],
                Size = binWidth,
                FillColor = shot switch { Shot.Many => ManyShotFill, Shot.Median => MedianShotFill, _ => FewShotFill },
                LineWidth = 0,
            });
        }

        AddHistogram(plot, shotBars[Shot.Many], string.Create(CultureInfo.InvariantCulture, $"Train count, many-shot (> {thresholds.Many})"));
        AddHistogram(plot, shotBars[Shot.Median], "Train count, median-shot");
        AddHistogram(plot, shotBars[Shot.Few], string.Create(CultureInfo.InvariantCulture, $"Train count, few-shot (< {thresholds.Few})"));

        var overall = Enumerable.Range(0, labels.Count).Average(i => Math.Abs(predictions[i] - labels[i]));
        var legendText = string.Create(CultureInfo.InvariantCulture, $"Test MAE per bin (overall {overall:0.###})");
        var xs = new List<double>();
        var ys = new List<double>();
        for (var b = 0; b <= bins.Count; b++)
        {
            var mae = b < bins.Count && testCount[b] > 0 ? errorSum[b] / testCount[b] : double.NaN;
            if (double.IsFinite(mae))
            {
                xs.Add(Centre(bins, b));
                ys.Add(mae);
                continue;
            }

            // A bin without test samples (or a NaN prediction) ends the current run of the line.
            if (xs.Count > 0)
            {
                var run = plot.Add.Scatter(xs.ToArray(), ys.ToArray(), ErrorColor);
                run.LineWidth = 2;
                run.MarkerSize = xs.Count == 1 ? 6 : 4;
                run.LegendText = legendText;
                legendText = string.Empty;
                xs.Clear();
                ys.Clear();
            }
        }

        plot.Title(title);
        plot.XLabel(WithUnit("True label", labelUnit));
        plot.YLabel(WithUnit("MAE", labelUnit));
        plot.Axes.Right.Label.Text = "Training samples per bin";
        var maxMae = Enumerable.Range(0, bins.Count).Where(b => testCount[b] > 0).Select(b => errorSum[b] / testCount[b])
            .Where(double.IsFinite).DefaultIfEmpty(0).Max();
        plot.Axes.SetLimitsX(bins.Start, bins.LowerEdge(bins.Count));
        plot.Axes.SetLimitsY(0, maxMae > 0 ? maxMae * 1.08 : 1, plot.Axes.Left);
        plot.Axes.SetLimitsY(0, Math.Max(1, trainHistogram.Max() * 1.05), plot.Axes.Right);
        ShowLegendBelow(plot);
        Save(plot, pngPath);
    }

    /// <summary>
    /// Grouped bar chart: one group per category, one bar per series, each labelled with its value.
    /// Non-finite values leave their bar out.
    /// </summary>
    /// <exception cref="ArgumentException">No categories or series, or a series whose length differs from the categories'.</exception>
    public static void WriteBarChart(
        string pngPath,
        string title,
        IReadOnlyList<string> categories,
        IReadOnlyList<(string Series, IReadOnlyList<double> Values)> series,
        string yLabel)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pngPath);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(yLabel);
        RequireNonEmpty(categories.Count, nameof(categories));
        RequireNonEmpty(series.Count, nameof(series));
        foreach (var (name, values) in series)
        {
            if (name is null || values is null || values.Count != categories.Count)
            {
                throw new ArgumentException(
                    $"Series '{name}' needs a name and {categories.Count} values (one per category).", nameof(series));
            }
        }

        var plot = NewPlot();
        var palette = new ScottPlot.Palettes.Category10();
        const double groupWidth = 0.8;

        // Past about 48 bars the value labels overlap into an unreadable band (4 runs x 20 age ranges); the bars alone
        // still compare, and every caller prints the same values as a table.
        var labelled = series.Count * categories.Count <= 48;
        var barWidth = groupWidth / series.Count;
        for (var s = 0; s < series.Count; s++)
        {
            var (name, values) = series[s];
            var colour = palette.GetColor(s);
            var bars = new List<Bar>();
            for (var c = 0; c < categories.Count; c++)
            {
                if (!double.IsFinite(values[c]))
                {
                    continue;
                }

                bars.Add(new Bar
                {
                    Position = c - (groupWidth / 2) + ((s + 0.5) * barWidth),
                    Value = values[c],
                    Size = barWidth * 0.95,
                    FillColor = colour,
                    LineWidth = 0,
                    Label = labelled ? FormatValue(values[c]) : string.Empty,
                });
            }

            var barPlot = plot.Add.Bars(bars);
            barPlot.LegendText = name;
            barPlot.Color = colour;
            barPlot.ValueLabelStyle.FontName = ReportFonts.FamilyName;
            barPlot.ValueLabelStyle.FontSize = series.Count * categories.Count > 24 ? 10 : 12;
        }

        plot.Title(title);
        plot.YLabel(yLabel);
        plot.Axes.Bottom.SetTicks(
            Enumerable.Range(0, categories.Count).Select(c => (double)c).ToArray(),
            categories.ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 14;
        plot.HideGrid();
        var finite = series.SelectMany(x => x.Values).Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        var (low, high) = (Math.Min(0, finite.Min()), Math.Max(0, finite.Max()));
        var headroom = (high - low) * 0.12;
        plot.Axes.SetLimitsX(-0.5, categories.Count - 0.5);
        plot.Axes.SetLimitsY(low < 0 ? low - headroom : 0, high > low ? high + headroom : 1);
        ShowLegendBelow(plot);
        Save(plot, pngPath);
    }

    /// <summary>
    /// One row per scene: the input RGB, the true depth and the predicted depth (turbo-like
    /// <see cref="DepthColormap"/> over [0, <paramref name="maxDepth"/>] m, non-finite depth black),
    /// with a colour bar in metres; with <paramref name="widths"/>, a fourth column of interval widths in greys
    /// (<see cref="IntervalWidthColormap"/>) and a colour bar of its own. Small images are enlarged by an integer factor;
    /// the PNG is <see cref="DepthPanelSize"/> pixels.
    /// </summary>
    /// <param name="pngPath">Output file.</param>
    /// <param name="scenes">RGB as HWC floats in [0, 1] (width·height·3), depths in metres (width·height).</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="maxDepth">Depth at the top of the colour scale, in metres.</param>
    /// <param name="widths">The optional interval-width column, one map per scene; null for the three depth columns alone.</param>
    /// <exception cref="ArgumentException">No scenes, arrays of the wrong length, or a width column that does not fit the scenes.</exception>
    public static void WriteDepthPanel(
        string pngPath,
        IReadOnlyList<(float[] Rgb, float[] Truth, float[] Prediction)> scenes,
        int width,
        int height,
        float maxDepth,
        DepthPanelWidths? widths = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pngPath);
        ArgumentNullException.ThrowIfNull(scenes);
        RequireNonEmpty(scenes.Count, nameof(scenes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        RequirePositiveFinite(maxDepth, nameof(maxDepth));

        var pixels = (long)width * height;
        for (var i = 0; i < scenes.Count; i++)
        {
            var (rgb, truth, prediction) = scenes[i];
            if (rgb is null || truth is null || prediction is null
                || rgb.LongLength != pixels * 3 || truth.LongLength != pixels || prediction.LongLength != pixels)
            {
                throw new ArgumentException(
                    $"Scene {i} needs {pixels * 3} RGB values and {pixels} truth and prediction depths.", nameof(scenes));
            }
        }

        if (widths is not null)
        {
            RequireWidthColumn(widths, scenes.Count, pixels);
        }

        var png = DepthPanelRenderer.Render(scenes, width, height, maxDepth, widths);
        WriteFile(pngPath, png);
    }

    /// <summary>Pixel size of the PNG that <see cref="WriteDepthPanel"/> writes, with or without the interval-width column.</summary>
    public static (int Width, int Height) DepthPanelSize(int width, int height, int sceneCount, bool withWidthColumn = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sceneCount);
        var layout = new DepthPanelLayout(width, height, sceneCount, withWidthColumn);
        return (layout.Width, layout.Height);
    }

    private static void RequireWidthColumn(DepthPanelWidths widths, int sceneCount, long pixels)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(widths.Title, nameof(widths));
        ArgumentException.ThrowIfNullOrWhiteSpace(widths.BarTitle, nameof(widths));
        RequirePositiveFinite(widths.MaxWidth, nameof(widths));
        if (widths.Widths is null || widths.Widths.Count != sceneCount || widths.Widths.Any(w => w is null || w.LongLength != pixels))
        {
            throw new ArgumentException($"The width column needs one map of {pixels} widths for each of the {sceneCount} scenes.", nameof(widths));
        }
    }

    private static void RequirePositiveFinite(float value, string name)
    {
        if (!(value > 0) || float.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "The top of a colour scale must be positive and finite.");
        }
    }

    private static Plot NewPlot()
    {
        ReportFonts.EnsureRegisteredWithScottPlot();
        var plot = new Plot();
        plot.Legend.FontName = ReportFonts.FamilyName;
        plot.Legend.FontSize = 13;
        return plot;
    }

    private static void ShowLegendBelow(Plot plot)
    {
        // Outside the data area, so no curve or bar is ever hidden behind it.
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Horizontal;
    }

    private static Scatter? AddCurve(Plot plot, double[] xs, double[] ys, string legend, Color colour, IYAxis axis, LinePattern pattern)
    {
        var keep = Enumerable.Range(0, xs.Length).Where(i => double.IsFinite(ys[i])).ToArray();
        if (keep.Length == 0)
        {
            return null;
        }

        var scatter = plot.Add.Scatter(keep.Select(i => xs[i]).ToArray(), keep.Select(i => ys[i]).ToArray(), colour);
        scatter.LegendText = legend;
        scatter.LineWidth = 2;
        scatter.LinePattern = pattern;
        scatter.MarkerSize = keep.Length > 60 ? 0 : 5;
        scatter.Axes.YAxis = axis;
        return scatter;
    }

    private static void AddHistogram(Plot plot, List<Bar> bars, string legend)
    {
        if (bars.Count == 0)
        {
            return;
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.Axes.YAxis = plot.Axes.Right;
        barPlot.LegendText = legend;
        barPlot.Color = bars[0].FillColor;
    }

    private static double Centre(LabelBins bins, int bin) => bins.Start + ((bin + 0.5) * bins.Width);

    private static string WithUnit(string text, string unit) =>
        string.IsNullOrWhiteSpace(unit) ? text : $"{text} ({unit})";

    private static string FormatValue(double value) =>
        value.ToString(Math.Abs(value) >= 100 ? "0.0" : "0.00", CultureInfo.InvariantCulture);

    private static void RequireNonEmpty(int count, string parameter)
    {
        if (count == 0)
        {
            throw new ArgumentException("At least one item is required.", parameter);
        }
    }

    private static void Save(Plot plot, string pngPath)
    {
        plot.Axes.Title.Label.FontName = ReportFonts.FamilyName;
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.Label.FontName = ReportFonts.FamilyName;
            axis.TickLabelStyle.FontName = ReportFonts.FamilyName;
        }

        var bytes = plot.GetImageBytes(ChartWidth, ChartHeight, ImageFormat.Png);
        WriteFile(pngPath, bytes);
    }

    private static void WriteFile(string pngPath, byte[] bytes)
    {
        var full = Path.GetFullPath(pngPath);
        var directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllBytes(full, bytes);
    }
}
