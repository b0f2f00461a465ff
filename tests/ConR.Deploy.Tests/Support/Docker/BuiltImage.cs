namespace ConR.Deploy.Tests.Support.Docker;

/// <summary>
/// What the last stage of a Dockerfile leaves: its file system (a folder standing for '/'), the working directory, the
/// environment (container paths already mapped into the folder), the user, the entrypoint and the health check.
/// </summary>
internal sealed record BuiltImage(
    string RootFileSystem,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string?> Environment,
    string? User,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string>? HealthCheck,
    IReadOnlyList<string> ExposedPorts,
    IReadOnlyList<DockerInstruction> SkippedRuns);
