using System.Text.Json.Serialization;

namespace ConR.Shared.Metrics.Depth;

/// <summary>
/// Depth errors of one group of pixels (docs/conr-digest.md §3.5), in metres where a unit applies. Every metric is
/// NaN for an empty group, serialised as JSON null.
/// </summary>
/// <param name="Pixels">Number of pixels summarised.</param>
/// <param name="Rmse">sqrt(mean (ŷ − y)²), raw prediction.</param>
/// <param name="Mae">mean |ŷ − y|, raw prediction.</param>
/// <param name="AbsRel">mean |ŷ⁺ − y| / y, with ŷ⁺ the clamped prediction (see <see cref="DepthMetricsAccumulator.MinPrediction"/>).</param>
/// <param name="Log10">mean |log10 ŷ⁺ − log10 y|.</param>
/// <param name="Delta1">Fraction of pixels with max(ŷ⁺/y, y/ŷ⁺) ≤ 1.25.</param>
/// <param name="Delta2">Same with 1.25².</param>
/// <param name="Delta3">Same with 1.25³.</param>
public sealed record DepthErrorSummary(
    long Pixels,
    [property: JsonConverter(typeof(NanAsNullConverter))] double Rmse,
    [property: JsonConverter(typeof(NanAsNullConverter))] double Mae,
    [property: JsonConverter(typeof(NanAsNullConverter))] double AbsRel,
    [property: JsonConverter(typeof(NanAsNullConverter))] double Log10,
    [property: JsonConverter(typeof(NanAsNullConverter))] double Delta1,
    [property: JsonConverter(typeof(NanAsNullConverter))] double Delta2,
    [property: JsonConverter(typeof(NanAsNullConverter))] double Delta3)
{
    /// <summary>The summary of no pixels: 0 pixels, NaN metrics.</summary>
    public static DepthErrorSummary Empty { get; } =
        new(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
}
