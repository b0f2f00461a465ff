namespace ConR.Shared.Calibration;

/// <summary>Empirical coverage of the test samples that fall in one range.</summary>
/// <param name="From">Inclusive lower edge of the range, in label units.</param>
/// <param name="To">Exclusive upper edge, in label units.</param>
/// <param name="Count">Test samples (pixels for depth) assigned here: by prediction for a prediction-keyed table (as
/// <see cref="CalibrationTable.RangeFor"/> does at serving time, so including predictions outside every range that fell
/// back to this, the nearest one), by true label for a label-keyed one; by prediction in
/// <see cref="CoverageReport.PredictedRanges"/>.</param>
/// <param name="Coverage">Per level key ("0.9"): fraction of those samples with Lower ≤ y ≤ Upper (importance-weighted
/// when the report is); NaN (JSON null in the model card) when Count is 0.</param>
/// <param name="EffectiveCount">For an importance-weighted report, the effective sample size (Σw)² / Σw² of those
/// samples; otherwise null.</param>
public sealed record RangeCoverage(double From, double To, int Count, IReadOnlyDictionary<string, double> Coverage, double? EffectiveCount = null);
