namespace ConR.Training.Engine;

/// <summary>What the driver measures of every finished epoch; the task adds its val scores to make the epoch's record.</summary>
/// <param name="Epoch">The epoch, 1-based.</param>
/// <param name="LearningRate">The rate the schedule gave it.</param>
/// <param name="TrainRegressionLoss">Mean L_R over its steps.</param>
/// <param name="TrainConRLoss">Mean L_ConR over its steps (0 without ConR).</param>
/// <param name="Seconds">Its steps and its evaluation.</param>
/// <param name="ImagesPerSecond">Labelled training images per second.</param>
/// <param name="DataWaitFraction">Share of the steps' time spent waiting for batches.</param>
public readonly record struct EpochTotals(
    int Epoch, double LearningRate, double TrainRegressionLoss, double TrainConRLoss, double Seconds, double ImagesPerSecond, double DataWaitFraction);
