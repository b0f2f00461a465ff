using System.Diagnostics;

namespace ConR.Training.Methods.Comparisons;

/// <summary>Starts one lane of a comparison: a process that trains the cells it can claim and then exits.</summary>
public interface ILaneLauncher
{
    /// <param name="lane">1-based lane number.</param>
    /// <param name="logPath">Where the lane's stdout and stderr go.</param>
    LaneProcess Start(int lane, string logPath);
}

/// <summary>A running lane: its process and the copy of its output into the log file.</summary>
public sealed class LaneProcess(Process process, StreamWriter log) : IDisposable
{
    public Process Process { get; } = process;

    /// <summary>Waits for the lane to end; a cancellation is thrown to the caller, which stops every lane (<see cref="Stop"/>).</summary>
    public int WaitForExit(CancellationToken cancellation)
    {
        Process.WaitForExitAsync(cancellation).GetAwaiter().GetResult();
        // The asynchronous output copy ends only after the exit is observed.
        Process.WaitForExit();
        return Process.ExitCode;
    }

    /// <summary>Kills the lane and its children and waits for them; its cells keep their last checkpoint.</summary>
    public void Stop()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.WaitForExit();
    }

    public void Dispose()
    {
        Process.Dispose();
        lock (log) log.Dispose();
    }
}

/// <summary>
/// Launches lanes as child processes of a given command line (normally this `conr-train compare` invocation itself,
/// see <see cref="LaneArguments"/>), each with <c>OMP_NUM_THREADS</c> threads unless the environment already sets it.
/// </summary>
public sealed class ProcessLaneLauncher(string fileName, IReadOnlyList<string> arguments, int threadsPerLane) : ILaneLauncher
{
    public LaneProcess Start(int lane, string logPath)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_NUM_THREADS")))
            info.Environment["OMP_NUM_THREADS"] = threadsPerLane.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        void Copy(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (log) log.WriteLine(e.Data);
        }
        process.OutputDataReceived += Copy;
        process.ErrorDataReceived += Copy;
        if (!process.Start()) throw new InvalidOperationException($"could not start lane {lane}: {fileName}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new LaneProcess(process, log);
    }
}

/// <summary>The command line of a lane: this process's own, without <c>--lanes</c>, as a worker.</summary>
public static class LaneArguments
{
    public const string LanesOption = "--lanes", WorkerOption = "--lane-worker";

    /// <summary>
    /// The executable and arguments that start this program again: <c>dotnet conr-train.dll</c> when it runs through the
    /// dotnet host, the apphost itself otherwise.
    /// </summary>
    public static (string FileName, List<string> Prefix) Self()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        bool viaHost = Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return viaHost ? (path, [Environment.GetCommandLineArgs()[0]]) : (path, []);
    }

    /// <summary>
    /// <paramref name="tokens"/> (the parsed command line after the program name, starting with <c>compare</c>)
    /// without <c>--lanes N</c> / <c>--lanes=N</c>, plus <c>--lane-worker</c>.
    /// </summary>
    public static List<string> ForWorker(IReadOnlyList<string> tokens)
    {
        var result = new List<string>();
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] == LanesOption)
            {
                i++;
                continue;
            }
            if (tokens[i].StartsWith(LanesOption + "=", StringComparison.Ordinal) || tokens[i] == WorkerOption) continue;
            result.Add(tokens[i]);
        }
        result.Add(WorkerOption);
        return result;
    }
}
