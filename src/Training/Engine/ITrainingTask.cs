using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConR.Training.Engine;

/// <summary>
/// What a task hands the <see cref="EpochDriver{TScore, TRecord}"/>: its model and optimiser, its steps, its val scores
/// and how the best epoch is chosen. The driver owns everything around them (seed, resume, schedule, checkpoints,
/// best-on-val, progress, divergence, cancellation). Built after the driver seeds torch, so the model's initial
/// weights depend only on the seed.
/// </summary>
/// <typeparam name="TScore">The val scores of one epoch.</typeparam>
/// <typeparam name="TRecord">One epoch's entry in state.json's history.</typeparam>
public interface ITrainingTask<TScore, TRecord> : IDisposable
{
    /// <summary>The float32 master weights: what checkpoints hold and the optimiser updates.</summary>
    nn.Module Model { get; }

    OptimizerHelper Optimizer { get; }

    BestEpochRule<TScore> BestEpoch { get; }

    /// <summary>How L_R and L_ConR are printed in the progress and epoch lines (e.g. F3).</summary>
    string LossFormat { get; }

    /// <summary>Writes what the task checkpoints besides the model and the optimiser (nothing by default).</summary>
    void SaveExtra(string checkpointDir)
    {
    }

    /// <summary>Restores what <see cref="SaveExtra"/> wrote, before <see cref="Start"/>.</summary>
    void LoadExtra(string checkpointDir)
    {
    }

    /// <summary>
    /// Called once the checkpoint, if any, is loaded: a run without one sets its starting weights (pretrained parts,
    /// output bias); either way the task prepares what its steps need (a bf16 shadow).
    /// </summary>
    void Start(bool resumed);

    /// <summary>The steps of <paramref name="epoch"/> (0-based), in the order the seed and the epoch fix.</summary>
    IEpochSteps StartEpoch(int epoch);

    /// <summary>What follows the steps of <paramref name="epoch"/> (such as a statistics pass) and the val scores.</summary>
    TScore FinishEpoch(int epoch);

    /// <summary>The history entry of a finished epoch: the driver's totals and the task's val scores.</summary>
    TRecord Record(EpochTotals totals, TScore score);

    /// <summary>The task's part of the epoch line, between the losses and "(best)", e.g. "  val MAE 7.123".</summary>
    string Describe(TScore score);
}
