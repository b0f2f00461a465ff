namespace ConR.Browser.Tests.Support;

/// <summary>
/// The Chromium the tests drive: the system's (Debian's <c>chromium</c> package, which <c>.ci/run</c> installs), or
/// CONR_CHROMIUM. Playwright's own browser downloads are not used: they need a network this project cannot assume.
/// </summary>
internal static class SystemChromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    public static string Path =>
        Environment.GetEnvironmentVariable("CONR_CHROMIUM") is { Length: > 0 } configured ? configured
        : Candidates.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            "No Chromium found for the browser tests: install it (`sudo apt-get install chromium`, as .ci/run does) or set CONR_CHROMIUM to its path.");
}
