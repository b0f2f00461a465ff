namespace ConR.Training.Depth;

/// <summary>One finished depth epoch, as recorded in state.json's history and plotted.</summary>
public sealed record DepthEpochRecord(
    int Epoch,
    double LearningRate,
    double TrainRegressionLoss,
    double TrainConRLoss,
    double ValRmse,
    double ValDelta1,
    double ValMae,
    double Seconds,
    double ImagesPerSecond,
    double DataWaitFraction);
