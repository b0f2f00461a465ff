using System.Diagnostics;

namespace ConR.Training.Engine;

/// <summary>A live one-line progress display; on a redirected console it prints a line every few seconds instead.</summary>
public sealed class ProgressLine(TextWriter output)
{
    private readonly bool interactive = !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);
    private readonly Stopwatch sinceLast = Stopwatch.StartNew();

    public void Report(string text, bool force = false)
    {
        var every = interactive ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(15);
        if (!force && sinceLast.Elapsed < every) return;
        sinceLast.Restart();
        if (interactive) output.Write("\r" + text.PadRight(Math.Max(text.Length, Console.WindowWidth - 1)));
        else output.WriteLine(text);
    }

    public void Done()
    {
        if (interactive) output.WriteLine();
    }

    public static string Eta(TimeSpan remaining) =>
        remaining.TotalHours >= 1 ? $"{(int)remaining.TotalHours}h{remaining.Minutes:D2}m" : $"{remaining.Minutes}m{remaining.Seconds:D2}s";
}
