using System.Globalization;
using System.Text.RegularExpressions;
using ConR.Browser.Tests.Support;
using Microsoft.Playwright;

namespace ConR.Browser.Tests;

/// <summary>The demo page at /: a photo in, the age over the training histogram and a depth map out.</summary>
public sealed partial class DemoPageTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Photo_ShowsAnAgeWithItsIntervalAndRange()
    {
        var page = await host.NewPageAsync();
        await Artifacts.RunAsync(page, "demo-age", async () =>
        {
            await page.GotoAsync("/");
            await Assertions.Expect(page.Locator("#models")).ToContainTextAsync($"age v{RepositoryPaths.NewestVersion("age")}");

            await page.Locator("#age-file").SetInputFilesAsync(RepositoryPaths.SampleFace);

            await Assertions.Expect(page.Locator("#age-result")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            var age = double.Parse(await page.Locator("#age-value").InnerTextAsync(), CultureInfo.InvariantCulture);
            Assert.InRange(age, 0, 120);
            await Assertions.Expect(page.Locator("#age-interval")).ToHaveTextAsync(IntervalText());
            await Assertions.Expect(page.Locator("#age-range")).ToContainTextAsync("-shot");
            await Assertions.Expect(page.Locator("#age-error")).ToBeHiddenAsync();

            // The histogram was drawn: its canvas holds coloured (non-blank) pixels.
            var inked = await page.EvaluateAsync<int>(
                "() => { const c = document.getElementById('age-histogram'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }");
            Assert.True(inked > 1000, $"the histogram canvas has only {inked} drawn pixels");
        });
    }

    [Fact]
    public async Task RoomImage_ShowsTheInputTheDepthMapAndTheIntervalWidthMap()
    {
        var page = await host.NewPageAsync();
        await Artifacts.RunAsync(page, "demo-depth", async () =>
        {
            await page.GotoAsync("/");

            await page.Locator("#depth-file").SetInputFilesAsync(RepositoryPaths.SampleFace);

            await Assertions.Expect(page.Locator("#depth-result")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#depth-map-caption")).ToContainTextAsync(" m (dark) to ");
            var size = await page.EvaluateAsync<int[]>("() => { const c = document.getElementById('depth-map'); return [c.width, c.height]; }");
            Assert.True(size[0] > 1 && size[1] > 1, $"depth canvas {size[0]}x{size[1]}");
            Assert.True(await page.Locator("#depth-ranges tbody tr").CountAsync() >= 1);
            await Assertions.Expect(page.Locator("#depth-error")).ToBeHiddenAsync();
        });
    }

    [Fact]
    public async Task BadFile_ShowsTheProblemsTitleAndDetail()
    {
        var page = await host.NewPageAsync();
        await Artifacts.RunAsync(page, "demo-bad-file", async () =>
        {
            await page.GotoAsync("/");

            await page.Locator("#age-file").SetInputFilesAsync(new FilePayload { Name = "notes.jpg", MimeType = "image/jpeg", Buffer = "not an image at all"u8.ToArray() });

            var error = page.Locator("#age-error");
            await Assertions.Expect(error).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Assertions.Expect(error).ToHaveTextAsync(ProblemText());
            await Assertions.Expect(page.Locator("#age-result")).ToBeHiddenAsync();
        });
    }

    [Fact]
    public async Task ReadmeScreenshot_AgeAndDepthAnswered()
    {
        var page = await host.NewPageAsync();
        await Artifacts.RunAsync(page, "demo-page", async () =>
        {
            await page.GotoAsync("/");
            await page.Locator("#age-file").SetInputFilesAsync(RepositoryPaths.SampleFace);
            await page.Locator("#depth-file").SetInputFilesAsync(RepositoryPaths.SampleFace);
            await Assertions.Expect(page.Locator("#age-result")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#depth-result")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Artifacts.SaveAsync(page, "demo-page");
        });
    }

    // "90% interval (natural mix): 21.3 to 45.0 years"
    [GeneratedRegex(@"^\d+% interval \((natural|balanced) mix\): \d+\.\d to \d+\.\d years$")]
    private static partial Regex IntervalText();

    // A ProblemDetails title, its status, and a detail: "Unsupported media type (415): ..."
    [GeneratedRegex(@"^[A-Z][\w ]+ \(4\d\d\): .{10,}")]
    private static partial Regex ProblemText();
}
