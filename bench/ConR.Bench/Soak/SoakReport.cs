using System.Globalization;
using System.Text;

namespace ConR.Bench.Soak;

/// <summary>The soak's section of the Markdown report: what ran, the answers by kind and status, latency, memory, verdicts.</summary>
internal static class SoakReport
{
    public static string ToMarkdown(SoakResult result, string machine)
    {
        var md = new StringBuilder();
        var s = result.Settings;
        md.AppendLine("### Soak (ConR.Api as its own process, mixed traffic on loopback)").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- machine: {machine}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- process: `{result.Command}` (ready after {result.StartToReady.TotalSeconds:F1} s)");
        md.AppendLine("- rate limiting: off. Every client connects from 127.0.0.1, so the per-IP token bucket would answer the good clients 429 " +
            "for the hostile ones' traffic: the soak measures the service, not the limiter.");
        var clients = $"{s.Clients.Good} good on keep-alive connections, each cycling through {SoakTraffic.CycleLength} requests " +
            "(7 POST /v1/age, 2 KServe infer N=1, 1 POST /v1/depth when a depth model is served); " +
            $"{s.Clients.Hostile} hostile and {s.Clients.Oversized} oversized, cycling through theirs, each request on a new connection, " +
            "the body sent in 64 KiB pieces until the server answers";
        md.AppendLine(CultureInfo.InvariantCulture, $"- clients, closed loop (each waits for its answer before sending again): {clients}");
        var phases = $"unloaded = the {s.Clients.Good} good clients alone for {SoakRun.UnloadedSeconds:F0} s after {SoakRun.WarmupSeconds:F0} s untimed; " +
            $"soak = all clients for {s.Seconds:F0} s; then {s.AfterSeconds:F0} s idle";
        md.AppendLine(CultureInfo.InvariantCulture, $"- phases: {phases}");
        md.AppendLine("- a good request succeeds on 200 only; its latency is the client's, from sending the request to the end of the answer");

        AppendStatuses(md, result);
        AppendLatency(md, result);
        AppendMemory(md, result);

        md.AppendLine().AppendLine("#### Soak targets").AppendLine();
        foreach (var verdict in result.Verdicts())
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- **{(verdict.Pass ? "PASS" : "FAIL")}** {verdict.Target}: {verdict.Measured}");
        }

        var errorEntries = result.ServerErrors.Values.Sum();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"- (not a target) answers other than expected: {result.Unexpected}; server log: {result.ServerLogLines} lines, {errorEntries} error-level entries (\"fail:\")");
        if (errorEntries > 0)
        {
            md.AppendLine().AppendLine("Error-level entries in the server's log, by kind:").AppendLine();
            md.AppendLine("| entries | category: message (ids blanked) |");
            md.AppendLine("|---:|---|");
            foreach (var (kind, count) in result.ServerErrors.OrderByDescending(e => e.Value))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {count} | {kind.Replace("|", "\\|", StringComparison.Ordinal)} |");
            }
        }

        if (result.ServerLogTail is { } tail)
        {
            md.AppendLine().AppendLine("The server's last output:").AppendLine().AppendLine("```").AppendLine(tail).AppendLine("```");
        }

        return md.ToString();
    }

    private static void AppendStatuses(StringBuilder md, SoakResult result)
    {
        // Real statuses in order, then the outcomes without one (negative): "closed without answer" always, so that
        // its 0 is seen, the rest when they happened.
        var statuses = result.All.Counts.Keys.Select(k => k.Status).Append(Outcome.ClosedWithoutAnswer).Distinct().OrderBy(st => st < 0 ? 1000 - st : st).ToList();
        md.AppendLine().AppendLine("#### Requests by kind and status (all phases)").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"| group | request | expected | {string.Join(" | ", statuses.Select(Outcome.Describe))} | total | unexpected |");
        md.AppendLine(CultureInfo.InvariantCulture, $"|---|---|---|{string.Concat(statuses.Select(_ => "---:|"))}---:|---:|");
        foreach (var kind in result.Kinds)
        {
            var counts = statuses.Select(st => result.All.Count(kind, st)).ToList();
            var unexpected = statuses.Where(st => !kind.IsExpected(st)).Sum(st => result.All.Count(kind, st));
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {kind.Group} | {kind.Name} | {string.Join("/", kind.Expected)} | {string.Join(" | ", counts.Select(c => c == 0 ? string.Empty : c.ToString(CultureInfo.InvariantCulture)))} | {counts.Sum()} | {(unexpected == 0 ? "0" : $"**{unexpected}**")} |");
        }
    }

    private static void AppendLatency(StringBuilder md, SoakResult result)
    {
        md.AppendLine().AppendLine("#### Good requests: latency unloaded vs soak (ms)").AppendLine();
        md.AppendLine("| requests | unloaded: n | req/s | p50 | p99 | soak: n | req/s | p50 | p99 | p99 soak / unloaded |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var good = result.Kinds.Where(k => k.Group == TrafficKind.Good).ToList();
        foreach (var kind in good.Count > 1 ? [null, .. good] : good.Cast<TrafficKind?>())
        {
            var u = result.Unloaded.Latency(kind);
            var s = result.Soak.Latency(kind);
            var name = kind is null ? "**all good (the target)**" : kind.Name;
            var unloaded = $"{u.Count} | {Report.F(u.Count / result.UnloadedWallSeconds, 1)} | {Report.F(u.P50, 1)} | {Report.F(u.P99, 1)}";
            var soak = $"{s.Count} | {Report.F(s.Count / result.SoakWallSeconds, 1)} | {Report.F(s.P50, 1)} | {Report.F(s.P99, 1)}";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {unloaded} | {soak} | {Report.F(s.P99 / u.P99, 2)}x |");
        }
    }

    private static void AppendMemory(StringBuilder md, SoakResult result)
    {
        md.AppendLine().AppendLine("#### Service memory (VmRSS from /proc/PID/status)").AppendLine();
        md.AppendLine("| when | MB |");
        md.AppendLine("|---|---:|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| ready (models loaded and warmed up) | {ApiProcess.Mb(result.RssReadyKb)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **before**: right after the unloaded phase, before any hostile traffic | {ApiProcess.Mb(result.RssBeforeKb)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| highest of {result.RssSamples} samples, one per second of the soak | {ApiProcess.Mb(result.RssPeakSampleKb)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| VmHWM at the end of the soak (the kernel's high-water mark since start) | {(result.VmHwmKb is { } hwm ? ApiProcess.Mb(hwm) : "-")} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **peak**: the higher of the two | {ApiProcess.Mb(result.RssPeakKb)} |");
        md.AppendLine(CultureInfo.InvariantCulture,
            $"| **after**: {result.Settings.AfterSeconds:F0} s idle after the soak | {(result.RssAfterKb is { } after ? ApiProcess.Mb(after) : "- (process exited)")} |");
    }
}
