namespace ConR.Training.Engine;

/// <summary>One epoch of a task's training steps, one batch each; the driver runs them one at a time.</summary>
public interface IEpochSteps : IDisposable
{
    /// <summary>How many steps the epoch has.</summary>
    int Count { get; }

    /// <summary>Time spent so far waiting for batches to be prepared.</summary>
    TimeSpan DataWait { get; }

    /// <summary>Trains on the next batch (step <see cref="StepContext.Step"/>); null when the epoch has no more.</summary>
    StepLosses? Next(StepContext context);
}

/// <summary>One step's losses (as plain numbers, for the epoch means) and how many labelled images it trained on.</summary>
public readonly record struct StepLosses(double Regression, double ConR, int Images);
