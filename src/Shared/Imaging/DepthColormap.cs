namespace ConR.Shared.Imaging;

/// <summary>
/// A turbo-like rainbow palette for depth maps: dark blue (near, t = 0) through cyan, green, yellow
/// and orange to dark red (far, t = 1). Hue falls monotonically with t; lightness peaks at t = 0.5 and
/// both ends are dark, as in Google's Turbo. Plain bytes only: used by the training reports and the API's colormap PNGs.
/// </summary>
/// <remarks>
/// Piecewise-linear through 17 anchors: Turbo's published end colours at t = 0 and 1, and in between
/// Anton Mikhailov's polynomial approximation of Turbo (Apache-2.0) sampled at t = k/16.
/// </remarks>
public static class DepthColormap
{
    private static readonly AnchorPalette Palette = new(
        [
            (48, 18, 59),
            (73, 62, 175),
            (68, 106, 238),
            (50, 149, 247),
            (38, 189, 225),
            (41, 221, 187),
            (64, 243, 146),
            (102, 253, 109),
            (150, 250, 80),
            (198, 235, 59),
            (238, 208, 45),
            (255, 171, 36),
            (255, 128, 29),
            (238, 84, 21),
            (201, 45, 12),
            (161, 18, 2),
            (122, 4, 3),
        ],
        noData: (0, 0, 0));

    /// <summary>Colour used for NaN (no data): black.</summary>
    public static (byte R, byte G, byte B) NoData => Palette.NoData;

    /// <summary>
    /// Colour of <paramref name="t"/> in [0, 1]; values outside are clamped (±∞ included), NaN gives
    /// <see cref="NoData"/>.
    /// </summary>
    public static (byte R, byte G, byte B) Map(float t) => Palette.Map(t);

    /// <summary>Colour of a depth in [0, <paramref name="maxDepth"/>] (same units); see <see cref="Map"/>.</summary>
    public static (byte R, byte G, byte B) MapDepth(float depth, float maxDepth)
    {
        if (!(maxDepth > 0) || float.IsInfinity(maxDepth))
        {
            throw new ArgumentOutOfRangeException(nameof(maxDepth), maxDepth, "Maximum depth must be positive and finite.");
        }

        return Map(depth / maxDepth);
    }
}
