using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ConR.Bench;

/// <summary>
/// Idle memory of the service as it runs in production: ConR.Api started as its own process
/// (<c>dotnet ConR.Api.dll --urls ... --Inference:ModelRepository=DIR</c>, everything else from its appsettings.json),
/// every model in the repository loaded and warmed up, a few requests served, then measured: VmRSS from
/// /proc/PID/status, and the GC heap after a full compacting GC (asked for through <see cref="StartupHook"/>).
/// </summary>
internal static class MemoryProbe
{
    public static async Task MeasureAsync(Report report, string apiDll, string repository, byte[] jpeg, bool quick)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var probeDirectory = Directory.CreateTempSubdirectory("conr-bench-probe-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(apiDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Rate limiting off: the warm-up traffic below would otherwise run into its 429s.
        foreach (var arg in new[] { apiDll, "--urls", url, $"--Inference:ModelRepository={repository}", "--RateLimiting:Enabled=false" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_STARTUP_HOOKS"] = typeof(StartupHook).Assembly.Location;
        start.Environment[StartupHook.DirectoryVariable] = probeDirectory;
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");

        var log = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
            var started = Stopwatch.GetTimestamp();
            try
            {
                await ApiHost.WaitReadyAsync(client, TimeSpan.FromSeconds(180), () => !process.HasExited);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"{ex.Message} Its output:\n{Tail(log)}", ex);
            }

            report.AddMemory("start to ready (both models loaded and warmed up)", $"{Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
            var models = await client.GetStringAsync(new Uri("/v1/models", UriKind.Relative));
            report.AddMemory("VmRSS when ready", Mb(Status(process.Id, "VmRSS")));

            // Warm-up traffic: age requests, and depth requests when the repository has a depth model.
            var uri = new Uri(url);
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
            report.AddMemory($"VmRSS after warm-up ({requests} age{(hasDepth ? $" + {(requests + 9) / 10} depth" : string.Empty)} requests, 2 s idle)", Mb(Status(process.Id, "VmRSS")));

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
                report.AddMemory("VmRSS after a full compacting GC", Mb(Status(process.Id, "VmRSS")));
                report.AddMemory("GC heap after that GC", Mb(long.Parse(gc["heapSizeBytes"], CultureInfo.InvariantCulture) / 1024));
                report.AddMemory("GC committed after that GC", Mb(long.Parse(gc["totalCommittedBytes"], CultureInfo.InvariantCulture) / 1024));
                report.AddMemory("server GC", gc["isServerGC"]);
            }

            report.AddMemory("VmHWM (peak RSS)", Mb(Status(process.Id, "VmHWM")));
            report.AddMemory("threads", Status(process.Id, "Threads").ToString(CultureInfo.InvariantCulture));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            Directory.Delete(probeDirectory, recursive: true);
        }
    }

    /// <summary>ConR.Api.dll with its runtimeconfig: the API's own build output next to the bench's, or a copy beside the bench.</summary>
    public static string? FindApiDll()
    {
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var leaf = Path.GetFileName(here);
        var candidates = new List<string>
        {
            // --artifacts-path layout: ARTIFACTS/bin/ConR.Bench/release -> ARTIFACTS/bin/ConR.Api/release
            Path.Combine(here, "..", "..", "ConR.Api", leaf, "ConR.Api.dll"),
        };

        // Default layout: bench/ConR.Bench/bin/Release/net10.0 -> src/Api/bin/Release/net10.0
        var configuration = Path.GetFileName(Path.GetDirectoryName(here));
        if (configuration is not null)
        {
            candidates.Add(Path.Combine(here, "..", "..", "..", "..", "..", "src", "Api", "bin", configuration, leaf, "ConR.Api.dll"));
        }

        candidates.Add(Path.Combine(here, "ConR.Api.dll"));
        return candidates.Select(Path.GetFullPath).FirstOrDefault(p => File.Exists(p) && File.Exists(Path.ChangeExtension(p, ".runtimeconfig.json")));
    }

    private static void Check(int status, string route)
    {
        if (status != 200)
        {
            throw new InvalidOperationException($"Warm-up request to {route} answered {status}.");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A "Name:  value kB" field of /proc/PID/status, in kB (or a count).</summary>
    private static long Status(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var value = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no {field}.");
    }

    private static string Mb(long kilobytes) => $"{kilobytes / 1024.0:F1} MB";

    private static void Append(StringBuilder log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.AppendLine(line);
        }
    }

    private static string Tail(StringBuilder log)
    {
        lock (log)
        {
            var text = log.ToString();
            return text.Length > 4000 ? text[^4000..] : text;
        }
    }
}
