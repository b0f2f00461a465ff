using Microsoft.Playwright;

namespace ConR.Browser.Tests.Support;

/// <summary>Screenshots: of every failure (kept as the test's artefact), and of the states the README shows.</summary>
internal static class Artifacts
{
    /// <summary>Runs <paramref name="test"/> on <paramref name="page"/>; on failure saves NAME-failure.png and rethrows.</summary>
    public static async Task RunAsync(IPage page, string name, Func<Task> test)
    {
        try
        {
            await test();
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Artifacts, $"{name}-failure.png"), FullPage = true });
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Saves the page (the viewport, or all of it) as NAME.png for the README (docs/images holds the copies it links).</summary>
    public static Task SaveAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Artifacts, $"{name}.png"), FullPage = fullPage });
}
