using System.Net.Http.Headers;
using ConR.Api.Hosting;
using ConR.Api.Tests.Support;

namespace ConR.Api.Tests.Imaging;

/// <summary>A form cannot carry more parts than any endpoint reads (the framework alone would take 1,024).</summary>
public sealed class FormPartLimitTests
{
    [Theory]
    [InlineData("/v1/age")]
    [InlineData("/v1/age/batch")]
    [InlineData("/v1/depth")]
    public async Task ThreeHundredImageParts_Answer413NamingTheLimit(string path)
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        using var response = await client.PostAsync(path, Form(300));

        var problem = await response.ProblemAsync(413);
        Assert.Contains("too many parts", problem.Detail, StringComparison.Ordinal);
        Assert.Contains($"{RequestBodyLimits.MaxFormParts} parts in all", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLargestValidBatch_StillFits()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        using var response = await client.PostAsync("/v1/age/batch", Form(32));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static MultipartFormDataContent Form(int images)
    {
        var form = new MultipartFormDataContent();
        var png = TestImages.Png();
        for (var i = 0; i < images; i++)
        {
            var file = new ByteArrayContent(png);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "image", $"face{i}.png");
        }

        return form;
    }
}
