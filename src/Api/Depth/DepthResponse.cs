using ConR.Api.Age;

namespace ConR.Api.Depth;

/// <summary>A depth map with its per-pixel uncertainty and a per-range summary.</summary>
/// <param name="Width">Map width in pixels (the model's output resolution).</param>
/// <param name="Height">Map height in pixels.</param>
/// <param name="Units">"metres".</param>
/// <param name="Min">Smallest depth in the map.</param>
/// <param name="Max">Largest depth in the map.</param>
/// <param name="Level">The interval level of <paramref name="Uncertainty"/>.</param>
/// <param name="Mix">The label mix <paramref name="Uncertainty"/> is calibrated for, as really used: "natural" (depths
/// distributed as in the training pixels) or "balanced" (every depth range alike). A card from before schema 2 has only
/// "balanced", whatever was asked.</param>
/// <param name="MixNote">Why Mix differs from the mix asked for; null when it does not.</param>
/// <param name="Encoding">How <paramref name="Depth"/> and <paramref name="Uncertainty"/> are encoded: "base64 float32 little-endian row-major".</param>
/// <param name="Depth">Depth per pixel, base64 of Width × Height little-endian float32, row-major (top row first).</param>
/// <param name="Uncertainty">Interval half-width per pixel at Level and Mix, same layout: the true depth lies in depth ± this with
/// probability at least Level (an interval that is not symmetric around the depth is widened to the symmetric one containing it).</param>
/// <param name="Ranges">Per depth range present in the map: training shot, share of pixels, validation RMSE, mean half-width.</param>
/// <param name="Model">The model version that answered.</param>
/// <param name="ElapsedMs">Server time for this request.</param>
internal sealed record DepthResponse(
    int Width,
    int Height,
    string Units,
    double Min,
    double Max,
    double Level,
    string Mix,
    string? MixNote,
    string Encoding,
    string Depth,
    string Uncertainty,
    IReadOnlyList<DepthRangeDto> Ranges,
    ModelRef Model,
    double ElapsedMs);

/// <summary>One depth range (the card's validation bands, e.g. 0.5 m) among the map's pixels.</summary>
/// <param name="From">Inclusive lower edge in metres.</param>
/// <param name="To">Exclusive upper edge in metres.</param>
/// <param name="Shot">The training shot ("many", "median", "few") most of the range's pixels fall in, by 0.1 m histogram bin.</param>
/// <param name="PixelFraction">Share of the map's pixels predicted in this range.</param>
/// <param name="ValRmse">Validation RMSE of pixels whose true depth lies in the range; null where there were none.</param>
/// <param name="HalfWidth">Mean interval half-width of the range's pixels at the requested level, in metres.</param>
internal sealed record DepthRangeDto(double From, double To, string Shot, double PixelFraction, double? ValRmse, double HalfWidth);
