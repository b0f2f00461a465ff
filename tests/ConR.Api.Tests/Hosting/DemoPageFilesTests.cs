using System.Net;
using ConR.Api.Tests.Support;

namespace ConR.Api.Tests.Hosting;

/// <summary>The demo page's files are served from / (the browser tests in ConR.Browser.Tests drive the page itself).</summary>
public sealed class DemoPageFilesTests
{
    [Theory]
    [InlineData("/", "text/html", "<script src=\"demo.js\">")]
    [InlineData("/demo.js", "text/javascript", "v1/age")]
    [InlineData("/demo.css", "text/css", ".drop")]
    public async Task DemoFiles_AreServed(string path, string contentType, string content)
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(content, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePage_UsesNothingFromOutside()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        foreach (var path in new[] { "/", "/demo.js", "/demo.css" })
        {
            var text = await client.GetStringAsync(path);
            Assert.DoesNotContain("http://", text, StringComparison.Ordinal);
            Assert.DoesNotContain("https://", text, StringComparison.Ordinal);
        }
    }
}
