namespace ConR.Training.Cli;

/// <summary>
/// How one task's command line words the shared training flags (<see cref="TrainingOptionSet"/>) where units and
/// variants differ, and which --precision it offers by default.
/// </summary>
internal sealed record TaskTrainingFlags
{
    public required string ConR { get; init; }
    public required string Window { get; init; }
    public required string Temperature { get; init; }
    public required string PushingScale { get; init; }
    public required string ConRVariant { get; init; }
    public required string Reweight { get; init; }
    public required string Precision { get; init; }

    /// <summary>--precision's default: age offers auto (resolved at start-up), depth fp32.</summary>
    public required string PrecisionDefault { get; init; }
}
