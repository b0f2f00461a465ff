using System.Text.Json.Serialization;

namespace ConR.Shared.Metrics;

/// <summary>
/// Errors of the test samples whose true label lies in [From, To), in label units. Mae and Rmse
/// are NaN (JSON null) when Count is 0.
/// </summary>
/// <param name="From">Inclusive lower label edge.</param>
/// <param name="To">Exclusive upper label edge.</param>
/// <param name="Count">Number of samples in the range.</param>
/// <param name="Mae">Mean |ŷ − y|.</param>
/// <param name="Rmse">sqrt(mean (ŷ − y)²).</param>
public sealed record RangeError(
    double From,
    double To,
    int Count,
    [property: JsonConverter(typeof(NanAsNullConverter))] double Mae,
    [property: JsonConverter(typeof(NanAsNullConverter))] double Rmse);
