using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ConR.Api.Metrics;

internal static class MetricsExtensions
{
    /// <summary>The host's <see cref="ApiMetrics"/> on a meter from the host's IMeterFactory.</summary>
    public static IServiceCollection AddApiMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(provider => new ApiMetrics(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        return services;
    }

    /// <summary>Counts and times every request by its route template; outermost, so it sees the final status code.</summary>
    public static IApplicationBuilder UseApiMetrics(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<ApiMetrics>();
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();

            // Routing already ran (WebApplication adds it first), so the template is known; unmatched paths share one label.
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            try
            {
                await next(context);
            }
            finally
            {
                var method = MethodLabel(context.Request.Method);
                metrics.HttpRequests.Increment(method, route, context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
                metrics.HttpDuration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds, method, route);
            }
        });
    }

    // Kestrel accepts any token as a method, and every label value is a new series kept for the process's life: a
    // client inventing methods would grow /metrics without bound. The standard methods keep their names; the rest
    // share one label (OpenTelemetry's "_OTHER").
    internal static string MethodLabel(string method) => method switch
    {
        _ when HttpMethods.IsGet(method) => HttpMethods.Get,
        _ when HttpMethods.IsPost(method) => HttpMethods.Post,
        _ when HttpMethods.IsHead(method) => HttpMethods.Head,
        _ when HttpMethods.IsPut(method) => HttpMethods.Put,
        _ when HttpMethods.IsDelete(method) => HttpMethods.Delete,
        _ when HttpMethods.IsPatch(method) => HttpMethods.Patch,
        _ when HttpMethods.IsOptions(method) => HttpMethods.Options,
        _ when HttpMethods.IsTrace(method) => HttpMethods.Trace,
        _ when HttpMethods.IsConnect(method) => HttpMethods.Connect,
        _ => "_OTHER",
    };

    /// <summary>GET /metrics: the Prometheus text exposition.</summary>
    public static IEndpointConventionBuilder MapMetricsEndpoint(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/metrics", (ApiMetrics metrics) => TypedResults.Text(metrics.Scrape(), "text/plain; version=0.0.4; charset=utf-8"))
            .WithName("GetMetrics")
            .WithTags("Operations")
            .WithSummary("Prometheus metrics")
            .WithDescription("Request counts by route and status, latency histograms, queue depth, batch-size and inference-time histograms, model load and CPU-fallback events, in the Prometheus text format 0.0.4.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
}
