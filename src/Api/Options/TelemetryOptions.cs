namespace ConR.Api.Options;

/// <summary>
/// Where OpenTelemetry sends traces and metrics: OpenTelemetry's own environment variables, read here so that a wrong
/// value stops the service at start with the variable's name (the OTLP exporter would log it and use its default).
/// </summary>
internal sealed class TelemetryOptions
{
    /// <summary>The OTLP receiver (a collector): unset exports nothing, and no OpenTelemetry SDK is started.</summary>
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>grpc (the default, port 4317) or http/protobuf (port 4318).</summary>
    public const string ProtocolKey = "OTEL_EXPORTER_OTLP_PROTOCOL";

    public string? OtlpEndpoint { get; set; }

    public string? OtlpProtocol { get; set; }

    public bool ExportEnabled => !string.IsNullOrWhiteSpace(OtlpEndpoint);
}
