namespace ConR.Deploy.Tests.Support;

/// <summary>Tests that run `dotnet publish` take turns: two at once on a 2-core CI machine only slow each other down.</summary>
[CollectionDefinition(nameof(SlowBuilds))]
public sealed class SlowBuilds;
