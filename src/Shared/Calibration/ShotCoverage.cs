namespace ConR.Shared.Calibration;

/// <summary>
/// Coverage and width of the intervals of the test samples whose TRUE label lies in one DIR shot group of the
/// training histogram: what a rare label gets, which per-predicted-range coverage cannot show.
/// </summary>
/// <param name="Shot">"many", "median" or "few".</param>
/// <param name="Count">Test samples (pixels for depth) with a true label of this shot.</param>
/// <param name="Coverage">Per level key ("0.9"): fraction covered (importance-weighted when the report is); NaN (JSON null) when Count is 0.</param>
/// <param name="MedianHalfWidths">Per level key: the (weighted) lower median of (Upper − Lower) / 2, in label units; NaN when Count is 0.</param>
/// <param name="EffectiveCount">For an importance-weighted report, the effective sample size (Σw)² / Σw²; otherwise null.</param>
public sealed record ShotCoverage(
    string Shot,
    int Count,
    IReadOnlyDictionary<string, double> Coverage,
    IReadOnlyDictionary<string, double> MedianHalfWidths,
    double? EffectiveCount = null);
