using ConR.Api.Tests.Support;

namespace ConR.Api.Tests.Inference;

/// <summary>Healthy batches log nothing at Information or above (under load that was thousands of lines a minute).</summary>
public sealed class ResilienceLoggingTests
{
    [Fact]
    public async Task HealthyRequests_WriteNoResilienceLinesAtInformation()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        for (int i = 0; i < 5; i++)
        {
            using var response = await client.PostAsync("/v1/age", Multipart.Image(TestImages.Png(40, 40)));
            Assert.True(response.IsSuccessStatusCode);
        }

        var polly = app.Logs.Lines.Where(l => l.Contains("Polly", StringComparison.Ordinal)).ToList();
        Assert.True(polly.Count == 0, string.Join("\n", polly.Take(3)));
    }
}
