namespace ConR.Training.Reporting;

/// <summary>
/// The depth panel's optional fourth column: per scene, a map of interval widths in metres, drawn with
/// <see cref="IntervalWidthColormap"/> and a colour bar of its own.
/// </summary>
/// <param name="Title">Column header, saying which width is drawn, e.g. "90% interval half-width".</param>
/// <param name="BarTitle">Title of the column's colour bar, e.g. "Half-width (m)".</param>
/// <param name="Widths">One map per scene, in the scenes' order: width·height values in metres, NaN where there is none.</param>
/// <param name="MaxWidth">Width at the dark end of the scale, in metres; wider pixels are drawn at the end.</param>
public sealed record DepthPanelWidths(string Title, string BarTitle, IReadOnlyList<float[]> Widths, float MaxWidth);
