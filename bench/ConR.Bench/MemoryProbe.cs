using System.Globalization;

namespace ConR.Bench;

/// <summary>
/// Idle memory of the service as it runs in production: ConR.Api started as its own process (<see cref="ApiProcess"/>),
/// every model in the repository loaded and warmed up, a few requests served, then measured: VmRSS from
/// /proc/PID/status, and the GC heap after a full compacting GC (asked for through <see cref="StartupHook"/>).
/// </summary>
internal static class MemoryProbe
{
    /// <summary>The configuration the probe's process gets beyond the repository: rate limiting off, or the warm-up traffic would run into its 429s.</summary>
    public static readonly IReadOnlyList<string> Arguments = ["--RateLimiting:Enabled=false"];

    public static async Task MeasureAsync(Report report, string apiDll, string repository, byte[] jpeg, bool quick)
    {
        var probeDirectory = Directory.CreateTempSubdirectory("conr-bench-probe-").FullName;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DOTNET_STARTUP_HOOKS"] = typeof(StartupHook).Assembly.Location,
            [StartupHook.DirectoryVariable] = probeDirectory,
        };
        try
        {
            await using var api = await ApiProcess.StartAsync(apiDll, repository, Arguments, environment, TimeSpan.FromSeconds(180));
            await MeasureAsync(report, api, probeDirectory, jpeg, quick);
        }
        finally
        {
            Directory.Delete(probeDirectory, recursive: true);
        }
    }

    private static async Task MeasureAsync(Report report, ApiProcess api, string probeDirectory, byte[] jpeg, bool quick)
    {
        report.AddMemory("start to ready (both models loaded and warmed up)", $"{api.StartToReady.TotalSeconds:F1} s");
        using var client = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var models = await client.GetStringAsync(new Uri("/v1/models", UriKind.Relative));
        report.AddMemory("VmRSS when ready", ApiProcess.Mb(api.VmRssKb()));

        // Warm-up traffic: age requests, and depth requests when the repository has a depth model.
        var uri = api.BaseAddress;
        var age = RawHttpLoad.MultipartRequest(uri, "/v1/age", jpeg, "face.jpg", "image/jpeg");
        var depth = RawHttpLoad.MultipartRequest(uri, "/v1/depth", jpeg, "face.jpg", "image/jpeg");
        var hasDepth = models.Contains("\"depth\"", StringComparison.Ordinal);
        var requests = quick ? 50 : 400;
        await using (var connection = await RawHttpLoad.Connection.OpenAsync(uri))
        {
            for (var i = 0; i < requests; i++)
            {
                Check(await connection.RoundTripAsync(age, null), "/v1/age");
                if (hasDepth && i % 10 == 0)
                {
                    Check(await connection.RoundTripAsync(depth, null), "/v1/depth");
                }
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        report.AddMemory($"VmRSS after warm-up ({requests} age{(hasDepth ? $" + {(requests + 9) / 10} depth" : string.Empty)} requests, 2 s idle)", ApiProcess.Mb(api.VmRssKb()));

        var resultFile = Path.Combine(probeDirectory, "gc-result");
        await File.WriteAllTextAsync(Path.Combine(probeDirectory, "gc-request"), "gc");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(resultFile) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        if (!File.Exists(resultFile))
        {
            report.AddNote("The GC probe (startup hook) did not answer; GC heap not measured.");
        }
        else
        {
            await Task.Delay(500);
            var gc = (await File.ReadAllLinesAsync(resultFile)).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            report.AddMemory("VmRSS after a full compacting GC", ApiProcess.Mb(api.VmRssKb()));
            report.AddMemory("GC heap after that GC", ApiProcess.Mb(long.Parse(gc["heapSizeBytes"], CultureInfo.InvariantCulture) / 1024));
            report.AddMemory("GC committed after that GC", ApiProcess.Mb(long.Parse(gc["totalCommittedBytes"], CultureInfo.InvariantCulture) / 1024));
            report.AddMemory("server GC", gc["isServerGC"]);
        }

        report.AddMemory("VmHWM (peak RSS)", ApiProcess.Mb(api.VmHwmKb()));
        report.AddMemory("threads", api.Status("Threads").ToString(CultureInfo.InvariantCulture));
    }

    private static void Check(int status, string route)
    {
        if (status != 200)
        {
            throw new InvalidOperationException($"Warm-up request to {route} answered {status}.");
        }
    }
}
