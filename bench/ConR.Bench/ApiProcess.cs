using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ConR.Bench;

/// <summary>
/// ConR.Api as its own process, as it runs in production (<c>dotnet ConR.Api.dll --urls http://127.0.0.1:PORT
/// --Inference:ModelRepository=DIR</c> and the caller's settings, everything else from its appsettings.json), so that
/// what /proc/PID/status says is the real service's memory and nothing of the bench's. Used by the idle-memory probe
/// and the soak.
/// </summary>
internal sealed partial class ApiProcess : IAsyncDisposable
{
    // The server's console output is kept for error messages only: the last lines, so a long soak cannot grow it.
    private const int KeptLogLines = 200;

    // Distinct error entries counted; past this many kinds, the rest count as one.
    private const int KeptErrorKinds = 50;

    private readonly Process process;

    // Guards the output state below: stdout and stderr arrive on two threads.
    private readonly Lock outputLock = new();
    private readonly Queue<string> logTail = new();
    private readonly Dictionary<string, long> errors = new(StringComparer.Ordinal);
    private string? errorHeader;
    private long logLines;

    private ApiProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Gets the time from starting the process to its first 200 on GET /v2/health/ready.</summary>
    public TimeSpan StartToReady { get; private set; }

    public bool HasExited => process.HasExited;

    /// <summary>Gets the lines the server has written to stdout and stderr so far.</summary>
    public long LogLines => Interlocked.Read(ref logLines);

    /// <summary>
    /// Gets the server's error-level log entries (the console logger's "fail:" lines: an unhandled exception, a 500, a
    /// connection Kestrel could not drain) by kind: the category and the message's first line with quoted ids blanked,
    /// and how often each came.
    /// </summary>
    public IReadOnlyDictionary<string, long> Errors
    {
        get
        {
            lock (outputLock)
            {
                return new Dictionary<string, long>(errors, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>
    /// The command line the process runs with, PORT in place of the port: for the report.
    /// </summary>
    public static string CommandLine(string apiDll, string repository, IEnumerable<string> extraArguments) =>
        string.Join(' ', ["dotnet", .. Arguments(apiDll, "http://127.0.0.1:PORT", repository, extraArguments)]);

    /// <summary>Starts the API on a free loopback port and waits until it is ready (every model loaded and warmed up).</summary>
    /// <param name="apiDll">ConR.Api.dll (see <see cref="FindApiDll"/>).</param>
    /// <param name="repository">The model repository; every model in it is loaded.</param>
    /// <param name="extraArguments">More configuration, as <c>--Section:Key=value</c>.</param>
    /// <param name="environment">Environment variables to add (a startup hook, its settings).</param>
    /// <param name="readyTimeout">How long loading may take.</param>
    public static async Task<ApiProcess> StartAsync(
        string apiDll, string repository, IEnumerable<string> extraArguments, IReadOnlyDictionary<string, string> environment, TimeSpan readyTimeout)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(apiDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(apiDll, url, repository, extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        // Production, as deployed: no Development settings or developer exception page.
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");

        var api = new ApiProcess(new Process { StartInfo = start }, new Uri(url));
        api.process.OutputDataReceived += (_, e) => api.Append(e.Data);
        api.process.ErrorDataReceived += (_, e) => api.Append(e.Data);
        var started = Stopwatch.GetTimestamp();
        api.process.Start();
        api.process.BeginOutputReadLine();
        api.process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            await ApiHost.WaitReadyAsync(client, readyTimeout, () => !api.process.HasExited);
            api.StartToReady = Stopwatch.GetElapsedTime(started);
            return api;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            var tail = api.LogTail();
            await api.DisposeAsync();
            throw new InvalidOperationException($"{ex.Message} Its output:\n{tail}", ex);
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

    public static string Mb(long kilobytes) => $"{kilobytes / 1024.0:F1} MB";

    /// <summary>Resident memory now, in kB.</summary>
    public long VmRssKb() => Status("VmRSS");

    /// <summary>The highest resident memory since the process started, in kB (the kernel's high-water mark).</summary>
    public long VmHwmKb() => Status("VmHWM");

    /// <summary>A "Name:  value kB" field of /proc/PID/status, in kB (or a count, e.g. Threads).</summary>
    public long Status(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var value = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/{process.Id}/status has no {field}.");
    }

    /// <summary>The server's last lines of output.</summary>
    public string LogTail()
    {
        lock (outputLock)
        {
            return string.Join('\n', logTail);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    // Connection and request ids, trace ids: quoted, different in every entry of the same kind.
    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex QuotedId();

    private static IEnumerable<string> Arguments(string apiDll, string url, string repository, IEnumerable<string> extraArguments) =>
        [apiDll, "--urls", url, $"--Inference:ModelRepository={repository}", .. extraArguments];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        Interlocked.Increment(ref logLines);
        lock (outputLock)
        {
            // The console logger writes "fail: Category[EventId]", then the message indented on the next line.
            if (errorHeader is not null)
            {
                var kind = $"{errorHeader}: {QuotedId().Replace(line.Trim(), "\"…\"")}";
                kind = errors.ContainsKey(kind) || errors.Count < KeptErrorKinds ? kind : "(other kinds)";
                errors[kind] = errors.GetValueOrDefault(kind) + 1;
                errorHeader = null;
            }
            else if (line.StartsWith("fail:", StringComparison.Ordinal))
            {
                errorHeader = line["fail:".Length..].Trim();
            }

            logTail.Enqueue(line);
            if (logTail.Count > KeptLogLines)
            {
                logTail.Dequeue();
            }
        }
    }
}
