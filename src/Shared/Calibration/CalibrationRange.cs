namespace ConR.Shared.Calibration;

/// <summary>
/// One Mondrian group of a <see cref="CalibrationTable"/>: the validation samples whose prediction ŷ (or, for a
/// table keyed by <see cref="CalibrationKeys.Label"/>, whose true label y) fell in [From, To), and the conformal
/// half-width of each level over their absolute residuals |y − ŷ|.
/// </summary>
/// <param name="From">Inclusive lower edge, in label units; on the options' range grid.</param>
/// <param name="To">Exclusive upper edge, in label units; &gt; From.</param>
/// <param name="ValCount">Validation samples (pixels for depth) the half-widths were computed from; ≥ 1.</param>
/// <param name="HalfWidths">
/// Half-width q per level in label units, keyed by <see cref="CalibrationOptions.LevelKey"/> ("0.9"). Keyed by
/// prediction, the interval is [ŷ − q, ŷ + q]; keyed by label, q is the largest |y − ŷ| a true label y in this range is
/// allowed; with a table <see cref="CalibrationTable.Scale"/> q is in units of s(y) and the residual allowed is q·s(y).
/// Non-negative.
/// </param>
/// <param name="MergedFrom">
/// How many of the original RangeWidth-wide ranges that held validation samples were merged into this one
/// because some had fewer than MinSamplesPerRange; 1 when not merged. Empty ranges inside [From, To) are not counted.
/// </param>
/// <param name="Capped">
/// True when, for some level, the conformal rank exceeded the samples (⌈(n + 1)·level⌉ &gt; n, or its weighted form),
/// so the largest residual was used and the interval may cover less than nominal. Only happens when there are few samples.
/// </param>
/// <param name="EffectiveCount">
/// For an importance-weighted fit, the effective sample size (Σw)² / Σw² of the range's validation samples, which
/// sets the finite-sample correction and the merging; null for an unweighted fit (where it equals ValCount).
/// </param>
public sealed record CalibrationRange(
    double From,
    double To,
    int ValCount,
    IReadOnlyDictionary<string, double> HalfWidths,
    int MergedFrom,
    bool Capped,
    double? EffectiveCount = null);
