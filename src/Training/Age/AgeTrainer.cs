using ConR.Training.Age.Data;
using ConR.Training.Engine;
using static TorchSharp.torch;

namespace ConR.Training.Age;

/// <summary>
/// Trains an age run: the <see cref="AgeTrainingTask"/> on the <see cref="EpochDriver{TScore, TRecord}"/> (best epoch
/// on val, an atomic checkpoint every epoch, and a resume that reproduces an uninterrupted run bit for bit).
/// </summary>
public sealed class AgeTrainer(AgeTrainConfig config, RunDirectory run, Device device, TextWriter log)
{
    /// <summary>Raised after each epoch's checkpoint is committed.</summary>
    public event Action<RunState<AgeEpochRecord>>? EpochCompleted;

    /// <summary>
    /// Trains to the configured epoch count. Cancelling stops before the next step, like a kill: the epoch in progress
    /// is discarded and --resume repeats it from the last checkpoint.
    /// </summary>
    public RunState<AgeEpochRecord> Train(AgeData data, bool resume, CancellationToken cancellation = default)
    {
        if (data.Train.Length < config.BatchSize) throw new ConfigurationException($"the train split has {data.Train.Length} images, fewer than --batch-size {config.BatchSize}");
        if (data.Val.Length == 0) throw new ConfigurationException("the CSV has no val rows: the best epoch is chosen on val");
        var driver = new EpochDriver<AgeValScore, AgeEpochRecord>(config, run, log);
        driver.EpochCompleted += state => EpochCompleted?.Invoke(state);
        return driver.Train(() => new AgeTrainingTask(config, data, device, log), resume, cancellation);
    }
}
