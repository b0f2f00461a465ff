namespace ConR.Training.Age;

/// <summary>One finished age epoch, as recorded in state.json's history and plotted.</summary>
public sealed record AgeEpochRecord(
    int Epoch,
    double LearningRate,
    double TrainRegressionLoss,
    double TrainConRLoss,
    double ValMae,
    double ValMse,
    double Seconds,
    double ImagesPerSecond,
    double DataWaitFraction);
