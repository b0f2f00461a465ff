using Microsoft.Extensions.Options;

namespace ConR.Api.Options;

// Runs at start (ValidateOnStart): a mistyped collector address ends the process with exit code 2 and the variable's
// name, instead of the exporter's silent fallback to localhost and spans lost without a word.
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    private static readonly string[] Protocols = ["grpc", "http/protobuf"];

    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var problems = new List<string>();
        if (options.ExportEnabled
            && (!Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            problems.Add($"{TelemetryOptions.EndpointKey} '{options.OtlpEndpoint}' is not an absolute http:// or https:// address (e.g. http://otel-collector:4317); unset it to export nothing.");
        }

        if (!string.IsNullOrWhiteSpace(options.OtlpProtocol) && !Protocols.Contains(options.OtlpProtocol.Trim(), StringComparer.Ordinal))
        {
            problems.Add($"{TelemetryOptions.ProtocolKey} '{options.OtlpProtocol}' is not one of: {string.Join(", ", Protocols)}.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
