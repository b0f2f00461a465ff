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
    private static readonly (byte R, byte G, byte B)[] Anchors =
    [
        (240, 240, 240),
        (217, 217, 217),
        (189, 189, 189),
        (150, 150, 150),
        (115, 115, 115),
        (82, 82, 82),
        (37, 37, 37),
    ];

    /// <summary>Colour of a NaN width (a NaN prediction): magenta, which no grey can be mistaken for.</summary>
    internal static (byte R, byte G, byte B) NoData { get; } = (255, 0, 255);

    /// <summary>Colour of <paramref name="t"/> in [0, 1]; values outside are clamped (±∞ included), NaN gives <see cref="NoData"/>.</summary>
    internal static (byte R, byte G, byte B) Map(float t)
    {
        if (float.IsNaN(t))
        {
            return NoData;
        }

        var segments = Anchors.Length - 1;
        var position = Math.Clamp(t, 0f, 1f) * segments;
        var index = Math.Min((int)position, segments - 1);
        var fraction = position - index;
        var (r0, g0, b0) = Anchors[index];
        var (r1, g1, b1) = Anchors[index + 1];
        return (Lerp(r0, r1, fraction), Lerp(g0, g1, fraction), Lerp(b0, b1, fraction));
    }

    private static byte Lerp(byte from, byte to, float fraction) =>
        (byte)Math.Clamp((int)MathF.Round(from + ((to - from) * fraction)), 0, 255);
}
