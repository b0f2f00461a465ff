using Microsoft.Extensions.Options;

namespace ConR.Api.Hosting;

/// <summary>
/// A wrong setting is the operator's to fix: the process prints the validation message once, without a stack trace,
/// and exits with code 2 (an unhandled exception would abort with 134 and some fifty lines of trace).
/// </summary>
/// <remarks>
/// Hooked on <see cref="AppDomain.UnhandledException"/> rather than a try/catch around <c>app.Run()</c>, so that
/// WebApplicationFactory, which observes the entry point's exceptions itself, keeps seeing the original exception.
/// </remarks>
internal static class InvalidSettingsExit
{
    public const int ExitCode = 2;

    public static void Install() => AppDomain.CurrentDomain.UnhandledException += (_, e) =>
    {
        if (Find(e.ExceptionObject as Exception) is not { } invalid) return;
        Console.Error.WriteLine($"ConR.Api did not start: {invalid.Message}");
        Environment.Exit(ExitCode);
    };

    private static OptionsValidationException? Find(Exception? exception) => exception switch
    {
        OptionsValidationException invalid => invalid,
        AggregateException { InnerExceptions.Count: 1 } aggregate => Find(aggregate.InnerExceptions[0]),
        _ => null,
    };
}
