using ConR.Shared.Imaging;

namespace ConR.Training.Reporting;

/// <summary>
/// The palette of the depth panel's interval-width column: ColorBrewer's sequential Greys, light (narrow, t = 0) to
/// dark (wide, t = 1). Grey on purpose: next to the rainbow <see cref="DepthColormap"/> nobody
/// reads a width as a depth.
/// </summary>
/// <remarks>
/// Piecewise-linear through the seven inner anchors of ColorBrewer's 9-class Greys (Cynthia Brewer, Apache-2.0): the
/// pure white and black ends are left out, so a narrow cell still stands out from the white page and a wide one from
/// text.
/// </remarks>
internal static class IntervalWidthColormap
{
    private static readonly AnchorPalette Palette = new(
        [
            (240, 240, 240),
            (217, 217, 217),
            (189, 189, 189),
            (150, 150, 150),
            (115, 115, 115),
            (82, 82, 82),
            (37, 37, 37),
        ],
        noData: (255, 0, 255));

    /// <summary>Colour of a NaN width (a NaN prediction): magenta, which no grey can be mistaken for.</summary>
    internal static (byte R, byte G, byte B) NoData => Palette.NoData;

    /// <summary>Colour of <paramref name="t"/> in [0, 1]; values outside are clamped (±∞ included), NaN gives <see cref="NoData"/>.</summary>
    internal static (byte R, byte G, byte B) Map(float t) => Palette.Map(t);
}
