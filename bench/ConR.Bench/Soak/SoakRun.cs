using System.Diagnostics;

namespace ConR.Bench.Soak;

/// <summary>What the soak is asked to do (from the command line).</summary>
/// <param name="Seconds">Length of the mixed-traffic phase.</param>
/// <param name="AfterSeconds">Idle time after it, before RSS is read again.</param>
/// <param name="Clients">Clients per group in the mixed phase; the unloaded phase runs the good ones alone.</param>
internal sealed record SoakSettings(double Seconds, double AfterSeconds, ClientCounts Clients);

/// <summary>
/// The soak: ConR.Api as its own process (<see cref="ApiProcess"/>), then three phases. (1) Unloaded: the good clients
/// alone, 5 s untimed, then 30 s timed: the good requests' latency without hostile traffic. (2) Soak: good, hostile
/// and oversized clients together for <see cref="SoakSettings.Seconds"/>, VmRSS sampled every second. (3) Idle for
/// <see cref="SoakSettings.AfterSeconds"/>, then VmRSS again.
/// </summary>
internal static class SoakRun
{
    public const double WarmupSeconds = 5;
    public const double UnloadedSeconds = 30;

    /// <summary>
    /// The service's configuration beyond the repository. Rate limiting off: every client comes from 127.0.0.1, so the
    /// per-IP token bucket would answer the good clients 429 for the hostile ones' traffic, and the soak would measure
    /// the limiter instead of the service.
    /// </summary>
    public static IReadOnlyList<string> Arguments(string ageModel) => ["--RateLimiting:Enabled=false", $"--Inference:AgeModel={ageModel}"];

    public static async Task<SoakResult> RunAsync(string apiDll, string repository, string ageModel, byte[] jpeg, SoakSettings settings)
    {
        Console.WriteLine($"  starting {ApiProcess.CommandLine(apiDll, repository, Arguments(ageModel))}");
        await using var api = await ApiProcess.StartAsync(apiDll, repository, Arguments(ageModel), new Dictionary<string, string>(), TimeSpan.FromSeconds(180));
        var rssReady = api.VmRssKb();
        Console.WriteLine($"  ready after {api.StartToReady.TotalSeconds:F1} s, VmRSS {ApiProcess.Mb(rssReady)}");

        SoakTraffic traffic;
        using (var client = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) })
        {
            var input = await KServeInput.ReadAsync(client, ageModel);
            using var depth = await client.GetAsync(new Uri("/v2/models/depth", UriKind.Relative));
            traffic = SoakTraffic.Build(api.BaseAddress, jpeg, input, depth.IsSuccessStatusCode);
        }

        var goodOnly = settings.Clients with { Hostile = 0, Oversized = 0 };
        Console.WriteLine($"  warm-up: {settings.Clients.Good} good clients, {WarmupSeconds} s untimed");
        var warmup = await SoakClients.RunAsync(api.BaseAddress, traffic, goodOnly, TimeSpan.FromSeconds(WarmupSeconds));

        Console.WriteLine($"  unloaded: {settings.Clients.Good} good clients alone, {UnloadedSeconds} s");
        var (unloaded, unloadedWall) = await TimedAsync(() => SoakClients.RunAsync(api.BaseAddress, traffic, goodOnly, TimeSpan.FromSeconds(UnloadedSeconds)));
        Console.WriteLine($"  unloaded: good p50 {Report.F(unloaded.Latency(null).P50, 1)} ms, p99 {Report.F(unloaded.Latency(null).P99, 1)} ms");
        var rssBefore = api.VmRssKb();

        Console.WriteLine($"  soak: {settings.Clients.Good} good + {settings.Clients.Hostile} hostile + {settings.Clients.Oversized} oversized clients, {settings.Seconds} s; VmRSS before {ApiProcess.Mb(rssBefore)}");
        var sampler = RssSampler.Start(api);
        SoakTally soak;
        double soakWall;
        await using (sampler)
        {
            (soak, soakWall) = await TimedAsync(() => SoakClients.RunAsync(api.BaseAddress, traffic, settings.Clients, TimeSpan.FromSeconds(settings.Seconds)));
        }

        Console.WriteLine($"  soak: good p50 {Report.F(soak.Latency(null).P50, 1)} ms, p99 {Report.F(soak.Latency(null).P99, 1)} ms; idle {settings.AfterSeconds} s");
        var alive = !api.HasExited;
        var hwm = alive ? api.VmHwmKb() : (long?)null;
        await Task.Delay(TimeSpan.FromSeconds(settings.AfterSeconds));
        alive = !api.HasExited;
        var rssAfter = alive ? api.VmRssKb() : (long?)null;

        return new SoakResult
        {
            Command = ApiProcess.CommandLine(apiDll, repository, Arguments(ageModel)),
            Settings = settings,
            Kinds = traffic.Kinds,
            All = SoakTally.Merge([warmup, unloaded, soak]),
            Unloaded = unloaded,
            UnloadedWallSeconds = unloadedWall,
            Soak = soak,
            SoakWallSeconds = soakWall,
            StartToReady = api.StartToReady,
            RssReadyKb = rssReady,
            RssBeforeKb = rssBefore,
            RssPeakSampleKb = sampler.PeakKb,
            RssSamples = sampler.Samples,
            VmHwmKb = hwm,
            RssAfterKb = rssAfter,
            Alive = alive,
            ServerLogLines = api.LogLines,
            ServerErrors = api.Errors,
            ServerLogTail = alive ? null : api.LogTail(),
        };
    }

    // The phase's wall time, from its start to its last answer: the denominator of its requests/s.
    private static async Task<(SoakTally Tally, double Seconds)> TimedAsync(Func<Task<SoakTally>> phase)
    {
        var started = Stopwatch.GetTimestamp();
        var tally = await phase();
        return (tally, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
