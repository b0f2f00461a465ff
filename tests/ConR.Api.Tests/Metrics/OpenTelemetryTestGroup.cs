namespace ConR.Api.Tests.Metrics;

/// <summary>
/// OpenTelemetry's MeterProvider selects meters by name, process-wide: while other test hosts run, their "ConR.Api"
/// meters would report into this host's exporter too. The tests that count through OpenTelemetry run alone.
/// </summary>
[CollectionDefinition(nameof(OpenTelemetryTestGroup), DisableParallelization = true)]
public sealed class OpenTelemetryTestGroup;
