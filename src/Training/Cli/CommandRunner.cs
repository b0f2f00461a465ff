using ConR.Training.Engine;


namespace ConR.Training.Cli;

/// <summary>Turns the expected failures (bad flags, bad data, divergence) into a message and an exit code.</summary>
internal static class CommandRunner
{
    public const int UsageError = 2, Diverged = 3;

    /// <summary>
    /// Runs <paramref name="action"/> with a token that Ctrl+C cancels: a training run stops at the next step and
    /// keeps its last checkpoint instead of the process dying mid-write.
    /// </summary>
    public static int RunInterruptible(Func<CancellationToken, int> action) => Run(() =>
    {
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; interrupt.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            return action(interrupt.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    });

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (ConfigurationException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return UsageError;
        }
        catch (DataFormatException ex)
        {
            Console.Error.WriteLine($"data error: {ex.Message}");
            return UsageError;
        }
        catch (TrainingDivergedException ex)
        {
            Console.Error.WriteLine();
            Console.Error.WriteLine($"training stopped: {ex.Message}");
            return Diverged;
        }
    }
}
