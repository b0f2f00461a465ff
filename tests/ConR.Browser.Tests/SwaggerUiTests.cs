using ConR.Browser.Tests.Support;
using Microsoft.Playwright;

namespace ConR.Browser.Tests;

/// <summary>Swagger UI as a new user meets it: the default form, a photo, Execute.</summary>
public sealed class SwaggerUiTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task TryItOut_UploadToEstimateAge_WithTheDefaultForm_AnswersAnAge()
    {
        var page = await host.NewPageAsync();
        await Artifacts.RunAsync(page, "swagger-estimate-age", async () =>
        {
            await page.GotoAsync("swagger/index.html");
            var operation = page.Locator("#operations-Age-EstimateAge");
            await operation.Locator(".opblock-summary").ClickAsync();
            await operation.GetByRole(AriaRole.Button, new() { Name = "Try it out" }).ClickAsync();

            // Only the photo is chosen: the face-box fields keep what Swagger UI pre-fills.
            await operation.Locator("input[type=file]").SetInputFilesAsync(RepositoryPaths.SampleFace);
            await operation.Locator("button.execute").ClickAsync();

            var status = operation.Locator(".live-responses-table tr.response .response-col_status").First;
            await Assertions.Expect(status).ToHaveTextAsync("200", new() { Timeout = 30_000 });
            var body = await operation.Locator(".live-responses-table tr.response .response-col_description pre").First.InnerTextAsync();
            Assert.Contains("\"age\"", body, StringComparison.Ordinal);
            Assert.Contains("\"interval\"", body, StringComparison.Ordinal);
            await operation.Locator(".live-responses-table").ScrollIntoViewIfNeededAsync();
            await Artifacts.SaveAsync(page, "swagger-ui", fullPage: false);
        });
    }
}
