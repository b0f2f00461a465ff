using ConR.Shared.Metrics.Depth;
using ConR.Training.Depth.Data;
using ConR.Training.Engine;
using static TorchSharp.torch;

namespace ConR.Training.Depth;

/// <summary>
/// Trains a depth run: the <see cref="DepthTrainingTask"/> on the epoch driver (best epoch on the balanced val RMSE,
/// an atomic checkpoint every epoch, and a resume that reproduces an uninterrupted run bit for bit: augmentation and
/// order depend only on seed, epoch and sample).
/// </summary>
public sealed class DepthTrainer(DepthTrainConfig config, RunDirectory run, Device device, TextWriter log)
    : EpochDriver<DepthDirTable, DepthEpochRecord>(config, run, log)
{
    /// <inheritdoc cref="EpochDriver{TScore, TRecord}.Train"/>
    public RunState<DepthEpochRecord> Train(DepthData data, bool resume, CancellationToken cancellation = default) =>
        Train(() => new DepthTrainingTask(config, data, device, Log), resume, cancellation);
}
