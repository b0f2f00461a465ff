namespace ConR.Training.Reporting;

/// <summary>One epoch of a training run, as plotted by <see cref="RunPlots.WriteLossCurves"/>.</summary>
/// <param name="Epoch">Epoch number (x axis).</param>
/// <param name="TrainRegressionLoss">Mean training regression loss L_R over the epoch.</param>
/// <param name="TrainConRLoss">Mean training ConR loss L_ConR over the epoch (0 when ConR is off).</param>
/// <param name="ValMae">Validation MAE after the epoch, in label units.</param>
public sealed record EpochPoint(int Epoch, double TrainRegressionLoss, double TrainConRLoss, double ValMae);
