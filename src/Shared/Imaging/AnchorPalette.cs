namespace ConR.Shared.Imaging;

/// <summary>
/// A palette that is piecewise-linear through evenly spaced colour anchors: anchor 0 at t = 0, the last at t = 1.
/// One implementation for every colour bar the project draws (depth, interval width), so they all blend alike.
/// </summary>
public sealed class AnchorPalette
{
    private readonly (byte R, byte G, byte B)[] _anchors;

    /// <param name="anchors">At least two colours, evenly spaced over [0, 1].</param>
    /// <param name="noData">The colour of NaN; pick one no blend of the anchors can be mistaken for.</param>
    public AnchorPalette(IReadOnlyList<(byte R, byte G, byte B)> anchors, (byte R, byte G, byte B) noData)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        if (anchors.Count < 2)
        {
            throw new ArgumentException("A palette needs at least two anchors.", nameof(anchors));
        }

        _anchors = [.. anchors];
        NoData = noData;
    }

    /// <summary>Colour used for NaN (no data).</summary>
    public (byte R, byte G, byte B) NoData { get; }

    /// <summary>Colour of <paramref name="t"/> in [0, 1]; values outside are clamped (±∞ included), NaN gives <see cref="NoData"/>.</summary>
    public (byte R, byte G, byte B) Map(float t)
    {
        if (float.IsNaN(t))
        {
            return NoData;
        }

        var segments = _anchors.Length - 1;
        var position = Math.Clamp(t, 0f, 1f) * segments;
        var index = Math.Min((int)position, segments - 1);
        var fraction = position - index;
        var (r0, g0, b0) = _anchors[index];
        var (r1, g1, b1) = _anchors[index + 1];
        return (Lerp(r0, r1, fraction), Lerp(g0, g1, fraction), Lerp(b0, b1, fraction));
    }

    private static byte Lerp(byte from, byte to, float fraction) =>
        (byte)Math.Clamp((int)MathF.Round(from + ((to - from) * fraction)), 0, 255);
}
