using Microsoft.AspNetCore.Http;
using ConR.Api.Tests.Support;

namespace ConR.Api.Tests.Hosting;

/// <summary>Every 413 names the limit that was hit, so an operator knows which setting to change.</summary>
public sealed class FormLimitMessageTests
{
    [Fact]
    public async Task TooManyFormParts_Answers413_NamingThePartLimit_NotTheByteLimit()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        using var form = Multipart.Image(TestImages.Png(20, 20), fields: Enumerable.Range(0, 1100).Select(i => ($"f{i}", "1")).ToArray());

        using var response = await client.PostAsync("/v1/age", form);
        var problem = await response.ProblemAsync(StatusCodes.Status413PayloadTooLarge);

        Assert.DoesNotContain("MaxUploadBytes", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("parts", problem.Detail, StringComparison.Ordinal);
    }
}
