using System.ComponentModel.DataAnnotations;

namespace ConR.Api.Options;

/// <summary>The "RateLimiting" section: a token bucket per client IP address on the model routes (429 when empty).</summary>
internal sealed class RateLimitOptions
{
    public const string SectionName = "RateLimiting";

    /// <value>The default is true.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Burst size: requests a client may make at once.</summary>
    /// <value>The default is 200.</value>
    [Range(1, 1_000_000)]
    public int TokenLimit { get; set; } = 200;

    /// <summary>Requests added back to each bucket every <see cref="ReplenishmentPeriodMs"/>.</summary>
    /// <value>The default is 100.</value>
    [Range(1, 1_000_000)]
    public int TokensPerPeriod { get; set; } = 100;

    /// <value>The default is 1 s.</value>
    [Range(1, 3_600_000)]
    public int ReplenishmentPeriodMs { get; set; } = 1_000;

    /// <summary>
    /// Admin requests (model loads) per minute, across all clients, in a budget of their own: an operator behind the
    /// same proxy as the traffic can still swap a model during a spike.
    /// </summary>
    /// <value>The default is 30.</value>
    [Range(1, 10_000)]
    public int AdminRequestsPerMinute { get; set; } = 30;
}
