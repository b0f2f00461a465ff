namespace ConR.Training.Engine;

/// <summary>Where a training step is in the run, and the guard it shows its loss to before the backward pass.</summary>
public sealed class StepContext(RunDirectory run, double explodeFactor, int epoch, int steps)
{
    private readonly DivergenceGuard guard = new(explodeFactor);

    /// <summary>The epoch, 0-based.</summary>
    public int Epoch { get; } = epoch;

    /// <summary>The step within the epoch, 0-based.</summary>
    public int Step { get; internal set; }

    /// <summary>Steps in the epoch.</summary>
    public int Steps { get; } = steps;

    /// <summary>Epochs completed, fractional within this one (0 at the first step), for schedules within an epoch.</summary>
    public double EpochProgress => Epoch + ((double)Step / Steps);

    /// <summary>Stops the run when <paramref name="loss"/> is not finite or has exploded, naming the checkpoint it keeps.</summary>
    /// <exception cref="TrainingDivergedException">The loss diverged; nothing of this epoch is committed.</exception>
    public void CheckLoss(double loss)
    {
        if (guard.Check(loss) is not { } problem) return;
        string kept = run.LastCheckpointDir() is { } dir ? $"the last good checkpoint is {dir}" : "no checkpoint was written yet";
        throw new TrainingDivergedException($"{problem} at epoch {Epoch + 1} step {Step + 1}; {kept}. Lower --lr or --beta.");
    }
}
