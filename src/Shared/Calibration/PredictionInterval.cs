namespace ConR.Shared.Calibration;

/// <summary>A calibrated interval around one prediction, in label units (years, metres).</summary>
/// <param name="Lower">max(ŷ − q, LabelMin), clamped into the label range.</param>
/// <param name="Upper">min(ŷ + q, LabelMax), clamped into the label range.</param>
/// <param name="Level">The nominal coverage level, e.g. 0.9.</param>
/// <param name="Range">The calibration range whose half-width q was used.</param>
public sealed record PredictionInterval(double Lower, double Upper, double Level, CalibrationRange Range);
