using System.Globalization;
using ConR.Shared.Imaging;
using SkiaSharp;

namespace ConR.Training.Reporting;

/// <summary>Pixel geometry of the depth panel: a header row, one row per scene, a colour bar on the right.</summary>
internal readonly record struct DepthPanelLayout
{
    internal const int Margin = 16;
    internal const int Gap = 12;
    internal const int RowLabelWidth = 36;
    internal const int HeaderHeight = 34;
    internal const int ColourBarGap = 24;
    internal const int ColourBarWidth = 22;
    internal const int TickLabelWidth = 72;

    // Images smaller than this (on their longer side) are enlarged by a whole factor.
    private const int MinimumCellSide = 256;

    internal DepthPanelLayout(int imageWidth, int imageHeight, int rows)
    {
        Scale = Math.Max(1, (int)Math.Ceiling(MinimumCellSide / (double)Math.Max(imageWidth, imageHeight)));
        CellWidth = checked(imageWidth * Scale);
        CellHeight = checked(imageHeight * Scale);
        Rows = rows;
        GridLeft = Margin + RowLabelWidth;
        GridTop = Margin + HeaderHeight;
        GridHeight = checked((rows * CellHeight) + ((rows - 1) * Gap));
        ColourBarLeft = GridLeft + (3 * CellWidth) + (2 * Gap) + ColourBarGap;
        Width = checked(ColourBarLeft + ColourBarWidth + TickLabelWidth + Margin);
        Height = checked(GridTop + GridHeight + Margin);
    }

    internal int Scale { get; }

    internal int CellWidth { get; }

    internal int CellHeight { get; }

    internal int Rows { get; }

    internal int GridLeft { get; }

    internal int GridTop { get; }

    internal int GridHeight { get; }

    internal int ColourBarLeft { get; }

    internal int Width { get; }

    internal int Height { get; }

    internal int CellLeft(int column) => GridLeft + (column * (CellWidth + Gap));

    internal int CellTop(int row) => GridTop + (row * (CellHeight + Gap));
}

/// <summary>Draws <see cref="RunPlots.WriteDepthPanel"/> with SkiaSharp; inputs are already validated.</summary>
internal static class DepthPanelRenderer
{
    private static readonly string[] ColumnTitles = ["Input RGB", "Ground truth", "Prediction"];

    internal static byte[] Render(
        IReadOnlyList<(float[] Rgb, float[] Truth, float[] Prediction)> scenes,
        int width,
        int height,
        float maxDepth)
    {
        var layout = new DepthPanelLayout(width, height, scenes.Count);
        using var surface = SKSurface.Create(new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException("Could not allocate the depth panel surface.");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);

        using var textPaint = new SKPaint { Color = new SKColor(30, 30, 30), IsAntialias = true };
        using var headerFont = new SKFont(ReportFonts.Bold, 16) { Edging = SKFontEdging.Antialias, Subpixel = true };
        using var labelFont = new SKFont(ReportFonts.Regular, 13) { Edging = SKFontEdging.Antialias, Subpixel = true };
        var headerBaseline = DepthPanelLayout.Margin + DepthPanelLayout.HeaderHeight - 12;

        for (var column = 0; column < ColumnTitles.Length; column++)
        {
            var centre = layout.CellLeft(column) + (layout.CellWidth / 2f);
            canvas.DrawText(ColumnTitles[column], centre, headerBaseline, SKTextAlign.Center, headerFont, textPaint);
        }

        canvas.DrawText(
            "Depth (m)", layout.ColourBarLeft, headerBaseline,
            SKTextAlign.Left, headerFont, textPaint);

        var sampling = new SKSamplingOptions(SKFilterMode.Nearest);
        for (var row = 0; row < scenes.Count; row++)
        {
            var (rgb, truth, prediction) = scenes[row];
            var top = layout.CellTop(row);
            canvas.DrawText(
                (row + 1).ToString(CultureInfo.InvariantCulture), DepthPanelLayout.Margin + (DepthPanelLayout.RowLabelWidth / 2f),
                top + (layout.CellHeight / 2f) + 5, SKTextAlign.Center, headerFont, textPaint);

            DrawCell(canvas, layout, 0, top, RgbPixels(rgb, width, height), width, height, sampling);
            DrawCell(canvas, layout, 1, top, DepthPixels(truth, maxDepth), width, height, sampling);
            DrawCell(canvas, layout, 2, top, DepthPixels(prediction, maxDepth), width, height, sampling);
        }

        DrawColourBar(canvas, layout, maxDepth, labelFont, textPaint);

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Tick values 0, step, 2·step … ≤ max with step 1, 2, 2.5 or 5 × 10^k, about five intervals.</summary>
    internal static IReadOnlyList<double> Ticks(double max)
    {
        var raw = max / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw * (1 - 1e-9));
        var ticks = new List<double>();
        for (var k = 0; k * step <= max * (1 + 1e-9); k++)
        {
            ticks.Add(Math.Round(k * step, 10));
        }

        return ticks;
    }

    private static void DrawCell(
        SKCanvas canvas, DepthPanelLayout layout, int column, int top, byte[] rgba, int width, int height, SKSamplingOptions sampling)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var image = SKImage.FromPixelCopy(info, rgba)
            ?? throw new InvalidOperationException("Could not create a depth panel image.");
        var destination = SKRect.Create(layout.CellLeft(column), top, layout.CellWidth, layout.CellHeight);
        canvas.DrawImage(image, destination, sampling);
    }

    private static byte[] RgbPixels(float[] rgb, int width, int height)
    {
        var pixels = width * height;
        var rgba = new byte[pixels * 4];
        for (var p = 0; p < pixels; p++)
        {
            rgba[(p * 4) + 0] = UnitToByte(rgb[(p * 3) + 0]);
            rgba[(p * 4) + 1] = UnitToByte(rgb[(p * 3) + 1]);
            rgba[(p * 4) + 2] = UnitToByte(rgb[(p * 3) + 2]);
            rgba[(p * 4) + 3] = 255;
        }

        return rgba;
    }

    private static byte[] DepthPixels(float[] depth, float maxDepth)
    {
        var rgba = new byte[depth.Length * 4];
        for (var p = 0; p < depth.Length; p++)
        {
            var d = depth[p];
            var (r, g, b) = float.IsFinite(d) ? DepthColormap.Map(d / maxDepth) : DepthColormap.NoData;
            rgba[(p * 4) + 0] = r;
            rgba[(p * 4) + 1] = g;
            rgba[(p * 4) + 2] = b;
            rgba[(p * 4) + 3] = 255;
        }

        return rgba;
    }

    private static byte UnitToByte(float value) =>
        float.IsNaN(value) ? (byte)0 : (byte)MathF.Round(Math.Clamp(value, 0f, 1f) * 255f);

    private static void DrawColourBar(SKCanvas canvas, DepthPanelLayout layout, float maxDepth, SKFont font, SKPaint textPaint)
    {
        float left = layout.ColourBarLeft;
        float right = left + DepthPanelLayout.ColourBarWidth;
        float top = layout.GridTop;
        float bottom = layout.GridTop + layout.GridHeight;
        var span = bottom - top;

        using var fill = new SKPaint { IsAntialias = false };
        for (var y = 0; y < layout.GridHeight; y++)
        {
            var (r, g, b) = DepthColormap.Map(1f - ((y + 0.5f) / layout.GridHeight));
            fill.Color = new SKColor(r, g, b);
            canvas.DrawRect(left, top + y, DepthPanelLayout.ColourBarWidth, 1, fill);
        }

        using var line = new SKPaint { Color = new SKColor(60, 60, 60), IsStroke = true, StrokeWidth = 1, IsAntialias = true };
        canvas.DrawRect(left, top, DepthPanelLayout.ColourBarWidth, span, line);

        var ticks = Ticks(maxDepth);
        var decimals = ticks.Count > 1 ? Math.Max(0, (int)Math.Ceiling(-Math.Log10(ticks[1] - ticks[0]) - 1e-9)) : 0;
        if (ticks.Count > 1 && Math.Abs(Math.Round((ticks[1] - ticks[0]) * Math.Pow(10, decimals)) - ((ticks[1] - ticks[0]) * Math.Pow(10, decimals))) > 1e-6)
        {
            decimals++;
        }

        foreach (var tick in ticks)
        {
            var y = bottom - (float)(tick / maxDepth * span);
            canvas.DrawLine(right, y, right + 5, y, line);
            var text = tick.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " m";
            canvas.DrawText(text, right + 8, y + 4.5f, SKTextAlign.Left, font, textPaint);
        }
    }
}
