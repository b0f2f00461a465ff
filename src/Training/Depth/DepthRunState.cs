using ConR.Shared.Metrics.Depth;

namespace ConR.Training.Depth;

/// <summary>One finished depth epoch, as recorded in the checkpoint and plotted.</summary>
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

/// <summary>What a depth checkpoint needs besides weights. The best epoch is chosen on the balanced val RMSE.</summary>
public sealed record DepthRunState
{
    public int CompletedEpochs { get; init; }
    public int BestEpoch { get; init; } = -1;
    public double BestValRmse { get; init; } = double.PositiveInfinity;
    public List<DepthEpochRecord> History { get; init; } = [];
    public double TotalTrainSeconds { get; init; }
}

/// <summary>The eval report of one split (reports/eval-{split}.json).</summary>
public sealed record DepthEvalReport(string Split, int BestEpoch, long MaskedPixels, DepthDirTable Table, DepthDirTable AllValidPixels);
