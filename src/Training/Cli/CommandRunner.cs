using ConR.Training.Data;
using ConR.Training.Training;

namespace ConR.Training.Cli;

/// <summary>Turns the expected failures (bad flags, bad data, divergence) into a message and an exit code.</summary>
internal static class CommandRunner
{
    public const int UsageError = 2, Diverged = 3;

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
