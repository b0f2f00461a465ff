namespace ConR.Training.Reporting;

/// <summary>
/// Pixel geometry of the depth panel: a header row, one row per scene, the three depth columns with their colour bar
/// to the right, and optionally an interval-width column followed by its own colour bar.
/// </summary>
internal readonly record struct DepthPanelLayout
{
    internal const int Margin = 16;
    internal const int Gap = 12;
    internal const int RowLabelWidth = 36;
    internal const int HeaderHeight = 34;
    internal const int ColourBarGap = 24;
    internal const int ColourBarWidth = 22;
    internal const int TickLabelWidth = 72;

    // The width bar's title ("Half-width (m)") is wider than its tick labels, and nothing follows it to take the room.
    internal const int WidthBarTitleWidth = 120;

    // The depth columns: input RGB, ground truth, prediction.
    internal const int DepthColumns = 3;

    // Images smaller than this (on their longer side) are enlarged by a whole factor.
    private const int MinimumCellSide = 256;

    internal DepthPanelLayout(int imageWidth, int imageHeight, int rows, bool withWidthColumn = false)
    {
        Scale = Math.Max(1, (int)Math.Ceiling(MinimumCellSide / (double)Math.Max(imageWidth, imageHeight)));
        CellWidth = checked(imageWidth * Scale);
        CellHeight = checked(imageHeight * Scale);
        Rows = rows;
        GridLeft = Margin + RowLabelWidth;
        GridTop = Margin + HeaderHeight;
        GridHeight = checked((rows * CellHeight) + ((rows - 1) * Gap));
        ColourBarLeft = GridLeft + (DepthColumns * CellWidth) + ((DepthColumns - 1) * Gap) + ColourBarGap;
        var depthBarRight = ColourBarLeft + ColourBarWidth + TickLabelWidth;
        if (withWidthColumn)
        {
            WidthCellLeft = depthBarRight + Gap;
            WidthBarLeft = WidthCellLeft + CellWidth + ColourBarGap;
            Width = checked(WidthBarLeft + Math.Max(ColourBarWidth + TickLabelWidth, WidthBarTitleWidth) + Margin);
        }
        else
        {
            Width = checked(depthBarRight + Margin);
        }

        Height = checked(GridTop + GridHeight + Margin);
    }

    internal int Scale { get; }

    internal int CellWidth { get; }

    internal int CellHeight { get; }

    internal int Rows { get; }

    internal int GridLeft { get; }

    internal int GridTop { get; }

    internal int GridHeight { get; }

    /// <summary>Gets the left edge of the depth colour bar.</summary>
    internal int ColourBarLeft { get; }

    /// <summary>Gets the left edge of the interval-width column; 0 without one.</summary>
    internal int WidthCellLeft { get; }

    /// <summary>Gets the left edge of the interval-width colour bar; 0 without one.</summary>
    internal int WidthBarLeft { get; }

    internal int Width { get; }

    internal int Height { get; }

    /// <summary>Left edge of depth column 0, 1 or 2.</summary>
    internal int CellLeft(int column) => GridLeft + (column * (CellWidth + Gap));

    internal int CellTop(int row) => GridTop + (row * (CellHeight + Gap));
}
