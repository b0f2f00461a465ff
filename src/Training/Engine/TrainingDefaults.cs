namespace ConR.Training.Engine;

/// <summary>
/// A task's defaults for the shared training settings (<see cref="TrainingOptions"/>): what a config.json that lacks a
/// setting reads as, and what the task's command line offers when the flag is not given.
/// </summary>
public sealed record TrainingDefaults
{
    public int Epochs { get; init; } = 10;
    public required int BatchSize { get; init; }
    public double LearningRate { get; init; } = 1e-3;
    public string Schedule { get; init; } = "cosine";
    public int Seed { get; init; } = 1;
    public int Workers { get; init; } = 2;
    public string Precision { get; init; } = TrainingOptions.Fp32;
    public double ExplodeFactor { get; init; } = 50;

    public string Reweight { get; init; } = "none";
    public string LdsKernel { get; init; } = "gaussian";
    public int LdsKernelSize { get; init; } = 5;
    public double LdsSigma { get; init; } = 2;

    /// <summary>ConR's published form for this task (the names differ per task: see the task's variant enum).</summary>
    public required string ConRVariant { get; init; }
    public required double Window { get; init; }
    public required double Beta { get; init; }
    public required double Temperature { get; init; }
    public required double PushingScale { get; init; }
}
