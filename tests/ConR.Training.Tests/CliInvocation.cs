using ConR.Training.Cli;

namespace ConR.Training.Tests;

/// <summary>
/// Runs the conr-train command line in-process, capturing what it writes to stderr. The console is global, so
/// invocations take turns.
/// </summary>
internal static class CliInvocation
{
    private static readonly object ConsoleGate = new();

    public static int Run(string commandLine, out string error) =>
        Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries), out error);

    public static int Run(string[] args, out string error)
    {
        var errors = new StringWriter();
        lock (ConsoleGate)
        {
            var original = Console.Error;
            Console.SetError(errors);
            try
            {
                return ConRTrainCli.Build().Parse(args).Invoke();
            }
            finally
            {
                Console.SetError(original);
                error = errors.ToString();
            }
        }
    }
}
