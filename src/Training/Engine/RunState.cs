namespace ConR.Training.Engine;

/// <summary>One finished epoch, as recorded in the checkpoint and plotted.</summary>
public sealed record EpochRecord(
    int Epoch,
    double LearningRate,
    double TrainRegressionLoss,
    double TrainConRLoss,
    double ValMae,
    double ValMse,
    double Seconds,
    double ImagesPerSecond,
    double DataWaitFraction);

/// <summary>What a checkpoint needs besides weights: how far the run got and what it has seen.</summary>
public sealed record RunState
{
    public int CompletedEpochs { get; init; }
    public int BestEpoch { get; init; } = -1;
    public double BestValMae { get; init; } = double.PositiveInfinity;
    public List<EpochRecord> History { get; init; } = [];
    public double TotalTrainSeconds { get; init; }
}
