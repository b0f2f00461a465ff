namespace ConR.Training.Engine;

/// <summary>
/// What a checkpoint holds besides weights (state.json): how far the run got, its best epoch on val and every epoch's
/// record. One shape for every task; <see cref="RunStateFile"/> reads the per-task files written before it.
/// </summary>
/// <typeparam name="TRecord">The task's epoch record (its val metrics beside the losses).</typeparam>
public sealed record RunState<TRecord>
{
    /// <summary>See <see cref="RunStateFile.CurrentFormat"/>.</summary>
    public int Format { get; init; } = RunStateFile.CurrentFormat;
    public int CompletedEpochs { get; init; }
    public int BestEpoch { get; init; } = -1;

    /// <summary>The val metric the best epoch is chosen on, lower being better (<see cref="BestEpochRule{TScore}.Name"/>).</summary>
    public required string BestMetric { get; init; }

    /// <summary>That metric at <see cref="BestEpoch"/>; infinite before the first epoch.</summary>
    public double BestValue { get; init; } = double.PositiveInfinity;

    public List<TRecord> History { get; init; } = [];
    public double TotalTrainSeconds { get; init; }
}
