using ConR.Training.Age.Data;
using ConR.Training.Engine;
using static TorchSharp.torch;

namespace ConR.Training.Age;

/// <summary>
/// Trains an age run: the <see cref="AgeTrainingTask"/> on the epoch driver (best epoch on val MAE, an atomic
/// checkpoint every epoch, and a resume that reproduces an uninterrupted run bit for bit).
/// </summary>
public sealed class AgeTrainer(AgeTrainConfig config, RunDirectory run, Device device, TextWriter log)
    : EpochDriver<AgeValScore, AgeEpochRecord>(config, run, log)
{
    /// <inheritdoc cref="EpochDriver{TScore, TRecord}.Train"/>
    public RunState<AgeEpochRecord> Train(AgeData data, bool resume, CancellationToken cancellation = default) =>
        Train(() => new AgeTrainingTask(config, data, device, Log), resume, cancellation);
}
