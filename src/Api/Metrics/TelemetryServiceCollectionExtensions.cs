using ConR.Api.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ConR.Api.Metrics;

internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// The metrics behind GET /metrics, always; the OpenTelemetry SDK with its OTLP exporters only when
    /// OTEL_EXPORTER_OTLP_ENDPOINT is set (validated at start). Unset, no TracerProvider listens, so the
    /// request, decode, queue-wait and inference activities are never created, and only /metrics' own listener runs.
    /// </summary>
    public static IServiceCollection AddApiTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApiMetrics();
        services.AddOptions<TelemetryOptions>()
            .Configure<IConfiguration>((options, config) =>
            {
                options.OtlpEndpoint = config[TelemetryOptions.EndpointKey];
                options.OtlpProtocol = config[TelemetryOptions.ProtocolKey];
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());

        // Decided here, not per signal at run time: without an endpoint the SDK is not even registered. The exporters
        // read the OTEL_EXPORTER_OTLP_* variables themselves (protocol, headers, per-signal endpoints).
        if (!string.IsNullOrWhiteSpace(configuration[TelemetryOptions.EndpointKey]))
        {
            services.AddOpenTelemetry()
                // An explicit service name would win over the standard variable; so the variable is read here.
                .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "conr-api"))
                .WithTracing(tracing => tracing.AddConRInstrumentation().AddOtlpExporter())
                .WithMetrics(metrics => metrics.AddConRInstrumentation().AddOtlpExporter());
        }

        return services;
    }

    /// <summary>ASP.NET Core's request spans (not for probes and scrapes) and the service's own spans.</summary>
    public static TracerProviderBuilder AddConRInstrumentation(this TracerProviderBuilder tracing) =>
        tracing
            .AddAspNetCoreInstrumentation(options => options.Filter = context =>
                !context.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal)
                && !context.Request.Path.StartsWithSegments("/v2/health", StringComparison.Ordinal))
            .AddSource(ApiTelemetry.Name);

    /// <summary>The "ConR.Api" meter: the instruments behind /metrics.</summary>
    public static MeterProviderBuilder AddConRInstrumentation(this MeterProviderBuilder metrics) => metrics.AddMeter(ApiTelemetry.Name);
}
