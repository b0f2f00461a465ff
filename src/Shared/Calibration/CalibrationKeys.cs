namespace ConR.Shared.Calibration;

/// <summary>
/// What the ranges of a <see cref="CalibrationTable"/> partition: the prediction ŷ (Mondrian by predicted range,
/// known at serving time) or the true label y (label-conditional; the interval is then the set of labels the
/// prediction is consistent with).
/// </summary>
public static class CalibrationKeys
{
    /// <summary>"prediction": ranges of ŷ; coverage holds per predicted range. Every schema-1 card is keyed so.</summary>
    public const string Prediction = "prediction";

    /// <summary>"label": ranges of the true label y; coverage holds per true-label range, so for any label mix.</summary>
    public const string Label = "label";

    /// <summary>Whether <paramref name="key"/> is one of the two keys.</summary>
    public static bool IsKnown(string? key) => key is Prediction or Label;
}
