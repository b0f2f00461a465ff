namespace ConR.Shared.Calibration;

/// <summary>Both mixes of one model.</summary>
/// <param name="Balanced">Label-conditional, for every true-label range alike.</param>
/// <param name="Natural">Weighted to the training label mix.</param>
public sealed record MixCalibrations(MixCalibration Balanced, MixCalibration Natural);
