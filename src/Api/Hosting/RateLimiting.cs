using System.Globalization;
using System.Threading.RateLimiting;
using ConR.Api.ModelsApi;
using ConR.Api.Options;
using Microsoft.Extensions.Options;

namespace ConR.Api.Hosting;

internal static class RateLimiting
{
    public const string PerClientPolicy = "per-client";
    public const string AdminPolicy = "admin";

    /// <summary>The built-in rate limiter: a token bucket per client IP on the model routes, 429 ProblemDetails when empty.</summary>
    public static IServiceCollection AddClientRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>()
            .BindSettings(RateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PerClientPolicy, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                if (!settings.Enabled)
                {
                    return RateLimitPartition.GetNoLimiter("disabled");
                }

                // Behind a reverse proxy, configure forwarded headers so this is the client, not the proxy.
                var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = settings.TokenLimit,
                    TokensPerPeriod = settings.TokensPerPeriod,
                    ReplenishmentPeriod = TimeSpan.FromMilliseconds(settings.ReplenishmentPeriodMs),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            // The admin route (already keyed) draws from its own budget, never from the clients' buckets.
            limiter.AddPolicy(AdminPolicy, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return !settings.Enabled
                    ? RateLimitPartition.GetNoLimiter("disabled")
                    : RateLimitPartition.GetFixedWindowLimiter("admin", _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = settings.AdminRequestsPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var http = rejected.HttpContext;
                var settings = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? wait
                    : TimeSpan.FromMilliseconds(settings.ReplenishmentPeriodMs);
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = http.GetEndpoint()?.Metadata.GetMetadata<AdminEndpointMetadata>() is not null
                            ? $"Admin requests are limited to {settings.AdminRequestsPerMinute} per minute (RateLimiting:AdminRequestsPerMinute); retry after the Retry-After seconds."
                            : $"This client may make {settings.TokensPerPeriod} requests per {settings.ReplenishmentPeriodMs} ms (bursts up to {settings.TokenLimit}); retry after the Retry-After seconds.",
                    },
                });
            };
        });
        return services;
    }

    public static TBuilder RequireClientRateLimit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(PerClientPolicy);

    /// <summary>The admin budget instead of the per-client one (the endpoint's policy overrides its group's).</summary>
    public static TBuilder RequireAdminRateLimit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(AdminPolicy);
}
