namespace ConR.Shared.Calibration;

/// <summary>Empirical coverage of the test samples that one calibration range served.</summary>
/// <param name="From">Inclusive lower prediction edge of the calibration range, in label units.</param>
/// <param name="To">Exclusive upper prediction edge, in label units.</param>
/// <param name="Count">Test samples (pixels for depth) whose prediction <see cref="CalibrationTable.RangeFor"/> mapped here,
/// including predictions outside every range that fell back to this, the nearest one.</param>
/// <param name="Coverage">Per level key ("0.9"): fraction of those samples with Lower ≤ y ≤ Upper; NaN (JSON null
/// in the model card) when Count is 0.</param>
public sealed record RangeCoverage(double From, double To, int Count, IReadOnlyDictionary<string, double> Coverage);
