using System.Globalization;
using ConR.Shared.Imaging;
using SkiaSharp;

namespace ConR.Training.Reporting;

/// <summary>Draws <see cref="RunPlots.WriteDepthPanel"/> with SkiaSharp; inputs are already validated.</summary>
internal static class DepthPanelRenderer
{
    private static readonly string[] ColumnTitles = ["Input RGB", "Ground truth", "Prediction"];

    internal static byte[] Render(
        IReadOnlyList<(float[] Rgb, float[] Truth, float[] Prediction)> scenes,
        int width,
        int height,
        float maxDepth,
        DepthPanelWidths? widths = null)
    {
        var layout = new DepthPanelLayout(width, height, scenes.Count, widths is not null);
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

        canvas.DrawText("Depth (m)", layout.ColourBarLeft, headerBaseline, SKTextAlign.Left, headerFont, textPaint);
        if (widths is not null)
        {
            canvas.DrawText(widths.Title, layout.WidthCellLeft + (layout.CellWidth / 2f), headerBaseline, SKTextAlign.Center, headerFont, textPaint);
            canvas.DrawText(widths.BarTitle, layout.WidthBarLeft, headerBaseline, SKTextAlign.Left, headerFont, textPaint);
        }

        var sampling = new SKSamplingOptions(SKFilterMode.Nearest);
        for (var row = 0; row < scenes.Count; row++)
        {
            var (rgb, truth, prediction) = scenes[row];
            var top = layout.CellTop(row);
            canvas.DrawText(
                (row + 1).ToString(CultureInfo.InvariantCulture), DepthPanelLayout.Margin + (DepthPanelLayout.RowLabelWidth / 2f),
                top + (layout.CellHeight / 2f) + 5, SKTextAlign.Center, headerFont, textPaint);

            DrawCell(canvas, layout, layout.CellLeft(0), top, RgbPixels(rgb, width, height), width, height, sampling);
            DrawCell(canvas, layout, layout.CellLeft(1), top, MappedPixels(truth, maxDepth, DepthColormap.Map), width, height, sampling);
            DrawCell(canvas, layout, layout.CellLeft(2), top, MappedPixels(prediction, maxDepth, DepthColormap.Map), width, height, sampling);
            if (widths is not null)
            {
                DrawCell(canvas, layout, layout.WidthCellLeft, top, MappedPixels(widths.Widths[row], widths.MaxWidth, IntervalWidthColormap.Map), width, height, sampling);
            }
        }

        DrawColourBar(canvas, layout, layout.ColourBarLeft, maxDepth, DepthColormap.Map, labelFont, textPaint);
        if (widths is not null)
        {
            DrawColourBar(canvas, layout, layout.WidthBarLeft, widths.MaxWidth, IntervalWidthColormap.Map, labelFont, textPaint);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static void DrawCell(
        SKCanvas canvas, DepthPanelLayout layout, int left, int top, byte[] rgba, int width, int height, SKSamplingOptions sampling)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var image = SKImage.FromPixelCopy(info, rgba)
            ?? throw new InvalidOperationException("Could not create a depth panel image.");
        var destination = SKRect.Create(left, top, layout.CellWidth, layout.CellHeight);
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

    // Metres to colours through a palette over [0, max]; a non-finite value gets the palette's NaN colour (no data).
    private static byte[] MappedPixels(float[] metres, float max, Func<float, (byte R, byte G, byte B)> palette)
    {
        var rgba = new byte[metres.Length * 4];
        for (var p = 0; p < metres.Length; p++)
        {
            var value = metres[p];
            var (r, g, b) = palette(float.IsFinite(value) ? value / max : float.NaN);
            rgba[(p * 4) + 0] = r;
            rgba[(p * 4) + 1] = g;
            rgba[(p * 4) + 2] = b;
            rgba[(p * 4) + 3] = 255;
        }

        return rgba;
    }

    private static byte UnitToByte(float value) =>
        float.IsNaN(value) ? (byte)0 : (byte)MathF.Round(Math.Clamp(value, 0f, 1f) * 255f);

    private static void DrawColourBar(
        SKCanvas canvas, DepthPanelLayout layout, float left, float max, Func<float, (byte R, byte G, byte B)> palette, SKFont font, SKPaint textPaint)
    {
        var right = left + DepthPanelLayout.ColourBarWidth;
        float top = layout.GridTop;
        float bottom = layout.GridTop + layout.GridHeight;
        var span = bottom - top;

        using var fill = new SKPaint { IsAntialias = false };
        for (var y = 0; y < layout.GridHeight; y++)
        {
            var (r, g, b) = palette(1f - ((y + 0.5f) / layout.GridHeight));
            fill.Color = new SKColor(r, g, b);
            canvas.DrawRect(left, top + y, DepthPanelLayout.ColourBarWidth, 1, fill);
        }

        using var line = new SKPaint { Color = new SKColor(60, 60, 60), IsStroke = true, StrokeWidth = 1, IsAntialias = true };
        canvas.DrawRect(left, top, DepthPanelLayout.ColourBarWidth, span, line);

        var ticks = ColourBarScale.Ticks(max);
        var format = "F" + ColourBarScale.Decimals(ticks).ToString(CultureInfo.InvariantCulture);
        foreach (var tick in ticks)
        {
            var y = bottom - (float)(tick / max * span);
            canvas.DrawLine(right, y, right + 5, y, line);
            var text = tick.ToString(format, CultureInfo.InvariantCulture) + " m";
            canvas.DrawText(text, right + 8, y + 4.5f, SKTextAlign.Left, font, textPaint);
        }
    }
}
