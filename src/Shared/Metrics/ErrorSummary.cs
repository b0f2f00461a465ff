using System.Text.Json.Serialization;

namespace ConR.Shared.Metrics;

/// <summary>
/// Error statistics of one group of test samples, in label units (years for age). NaN for an
/// empty group, serialised as JSON null.
/// </summary>
/// <param name="Count">Number of samples.</param>
/// <param name="Mae">Mean |ŷ − y|.</param>
/// <param name="Mse">Mean (ŷ − y)².</param>
/// <param name="Gm">
/// Geometric mean exp(mean(log e)) with each e floored at 1e-10: equals scipy <c>gmean</c>
/// except that an exact-zero error does not force the result to 0.
/// </param>
public sealed record ErrorSummary(
    int Count,
    [property: JsonConverter(typeof(NanAsNullConverter))] double Mae,
    [property: JsonConverter(typeof(NanAsNullConverter))] double Mse,
    [property: JsonConverter(typeof(NanAsNullConverter))] double Gm)
{
    // Keeps log finite for perfect predictions; matches the 1e-10 the IMDB code adds.
    internal const double GmFloor = 1e-10;

    /// <summary>The summary of no samples: Count 0, NaN metrics.</summary>
    public static ErrorSummary Empty { get; } = new(0, double.NaN, double.NaN, double.NaN);

    /// <summary>Summarises errors ŷ − y (signs are ignored).</summary>
    public static ErrorSummary FromErrors(IEnumerable<double> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var count = 0;
        double sumAbs = 0, sumSquare = 0, sumLog = 0;
        foreach (var error in errors)
        {
            var e = Math.Abs(error);
            count++;
            sumAbs += e;
            sumSquare += e * e;
            sumLog += Math.Log(Math.Max(e, GmFloor));
        }

        return count == 0
            ? Empty
            : new ErrorSummary(count, sumAbs / count, sumSquare / count, Math.Exp(sumLog / count));
    }
}
