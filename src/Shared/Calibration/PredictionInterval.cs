namespace ConR.Shared.Calibration;

/// <summary>A calibrated interval around one prediction, in label units (years, metres).</summary>
/// <param name="Lower">Lower end (max(ŷ − q, LabelMin) for a prediction-keyed table), within the label range.</param>
/// <param name="Upper">Upper end (min(ŷ + q, LabelMax) for a prediction-keyed table), within the label range.</param>
/// <param name="Level">The nominal coverage level, e.g. 0.9.</param>
/// <param name="Range">The calibration range whose half-width q was used; null for a table keyed by label, whose
/// interval draws on every label range.</param>
public sealed record PredictionInterval(double Lower, double Upper, double Level, CalibrationRange? Range);
