namespace ConR.Training.Tests;

/// <summary>
/// Tests that seed torch's global generator (model initialisation, training runs) and compare results: concurrent
/// tests would draw from the same generator, so these run one at a time, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SeededTorchRuns
{
    public const string Name = "Seeded torch runs";
}
