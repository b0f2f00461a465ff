namespace ConR.Shared.Calibration;

/// <summary>
/// The label distribution an interval is calibrated for. The DIR val and test splits are balanced (about as many
/// samples of every label), while the traffic a service sees follows the training data; an interval that covers
/// 90% under one mix does not under the other.
/// </summary>
public static class LabelMix
{
    /// <summary>
    /// "balanced": every label range counts alike, the DIR evaluation view. Intervals hold for rare true labels too.
    /// </summary>
    public const string Balanced = "balanced";

    /// <summary>
    /// "natural": labels as often as in the training split (p_train(y)), the mix a service fed like the training data
    /// sees. Narrower where data is plentiful; rare labels are covered less often.
    /// </summary>
    public const string Natural = "natural";

    /// <summary>Both mixes, natural first.</summary>
    public static IReadOnlyList<string> All { get; } = [Natural, Balanced];

    /// <summary>Whether <paramref name="mix"/> is one of the two mixes (exact, lower-case).</summary>
    public static bool IsKnown(string? mix) => mix is Balanced or Natural;
}
