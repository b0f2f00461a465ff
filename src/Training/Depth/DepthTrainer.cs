using ConR.Shared.Metrics.Depth;
using ConR.Training.Depth.Data;
using ConR.Training.Engine;
using static TorchSharp.torch;

namespace ConR.Training.Depth;

/// <summary>
/// Trains a depth run: the <see cref="DepthTrainingTask"/> on the <see cref="EpochDriver{TScore, TRecord}"/> (best
/// epoch on the balanced val RMSE, an atomic checkpoint every epoch, and a resume that reproduces an uninterrupted run
/// bit for bit: augmentation and order depend only on seed, epoch and sample).
/// </summary>
public sealed class DepthTrainer(DepthTrainConfig config, RunDirectory run, Device device, TextWriter log)
{
    /// <summary>Raised after each epoch's checkpoint is committed.</summary>
    public event Action<RunState<DepthEpochRecord>>? EpochCompleted;

    public RunState<DepthEpochRecord> Train(DepthData data, bool resume, CancellationToken cancellation = default)
    {
        if (data.Train.Length < config.BatchSize) throw new ConfigurationException($"the train split has {data.Train.Length} scenes, fewer than --batch-size {config.BatchSize}");
        if (data.Val.Length == 0) throw new ConfigurationException("the val CSV has no rows: the best epoch is chosen on val");
        var driver = new EpochDriver<DepthDirTable, DepthEpochRecord>(config, run, log);
        driver.EpochCompleted += state => EpochCompleted?.Invoke(state);
        return driver.Train(() => new DepthTrainingTask(config, data, device), resume, cancellation);
    }
}
