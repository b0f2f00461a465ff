namespace ConR.Training.Tests.Methods;

/// <summary>
/// The method and comparison tests seed (and draw from) torch's global generator, which concurrent tests would
/// disturb: they run one at a time, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MethodTorchRuns
{
    public const string Name = "Method torch runs";
}
