using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace ConR.Deploy.Tests.Support.Docker;

/// <summary>
/// Starts a <see cref="BuiltImage"/>'s entrypoint as a container would: in its working directory, with only the image's
/// environment (plus PATH, HOME and TMPDIR a base image provides), as the image's USER when the test runs as root
/// (setpriv, util-linux, which Debian always has). The one change: the HTTP port is a free one on this machine instead
/// of the image's, as a container's own network namespace is not there.
/// </summary>
internal sealed partial class ContainerProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ContainerProcess(Process process, int port, string imagePort)
    {
        this.process = process;
        Port = port;
        ImagePort = imagePort;
    }

    public int Port { get; }

    /// <summary>Gets the port the image listens on in its own network namespace (ASPNETCORE_HTTP_PORTS).</summary>
    public string ImagePort { get; }

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static ContainerProcess Start(BuiltImage image, string scratch)
    {
        var imagePort = image.Environment.GetValueOrDefault("ASPNETCORE_HTTP_PORTS")
            ?? throw new InvalidOperationException("The image sets no ASPNETCORE_HTTP_PORTS: the test does not know which port it serves.");
        var port = FreePort();
        var home = Path.Combine(scratch, "home");
        Directory.CreateDirectory(home);

        // Writable by the image's user, whoever creates it.
        File.SetUnixFileMode(home, (UnixFileMode)Convert.ToInt32("1777", 8));

        var start = new ProcessStartInfo { WorkingDirectory = image.WorkingDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment.Clear();
        var dotnet = Processes.Which("dotnet") is { } host ? Path.GetDirectoryName(new FileInfo(host).ResolveLinkTarget(true)?.FullName ?? host)! : null;
        start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" + (dotnet is null ? string.Empty : ":" + dotnet);
        start.Environment["HOME"] = home;
        start.Environment["TMPDIR"] = home;
        if (dotnet is not null)
        {
            // The runtime image has its .NET in a place the app host finds; this machine's may be elsewhere.
            start.Environment["DOTNET_ROOT"] = dotnet;
        }

        foreach (var (key, value) in image.Environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture);

        var command = image.Entrypoint.ToList();
        if (Environment.UserName == "root" || GetUid() == 0)
        {
            var user = image.User ?? throw new InvalidOperationException("The image sets no USER: it would run as root.");
            if (!NumericUser().IsMatch(user))
            {
                throw new InvalidOperationException($"USER {user}: the test needs a numeric UID[:GID] (a name needs the image's /etc/passwd).");
            }

            var parts = user.Split(':');
            command = ["setpriv", $"--reuid={parts[0]}", $"--regid={(parts.Length > 1 ? parts[1] : parts[0])}", "--clear-groups", "--", .. command];
        }

        start.FileName = command[0];
        command.Skip(1).ToList().ForEach(start.ArgumentList.Add);
        var process = new Process { StartInfo = start };
        var running = new ContainerProcess(process, port, imagePort);
        process.OutputDataReceived += (_, e) => running.Append(e.Data);
        process.ErrorDataReceived += (_, e) => running.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>The real UID of the running process (from /proc), to prove it is not root.</summary>
    public int Uid() => int.Parse(File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    /// <summary>Waits until GET <paramref name="path"/> answers 200; fails with the process's output if it exits or time runs out.</summary>
    public async Task WaitUntilOkAsync(HttpClient client, string path, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {process.ExitCode} before {path} answered 200.\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{Port}{path}"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{path} did not answer 200 within {timeout}.\n{Output}");
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int GetUid() =>
        int.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d+(:\d+)?$")]
    private static partial Regex NumericUser();
}
