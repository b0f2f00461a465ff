using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConR.Recalibrate.Tests.Support;

/// <summary>The serving API over a test's repository, on CPU: proof that a written package loads and serves.</summary>
internal sealed class ApiHost(string repository) : WebApplicationFactory<global::Program>
{
    /// <summary>A client once every model of the repository is loaded and warmed up.</summary>
    public async Task<HttpClient> StartReadyAsync()
    {
        var client = CreateClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync("/v2/health/ready");
            if (response.IsSuccessStatusCode)
            {
                return client;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The API did not become ready.");
    }

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static MultipartFormDataContent Upload(string imagePath)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(File.ReadAllBytes(imagePath));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", Path.GetFileName(imagePath));
        return form;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The test's repository, on CPU (no CUDA probe), no rate limiting, one warm-up image per format.
        builder.UseSetting("Inference:ModelRepository", repository);
        builder.UseSetting("Inference:Device", "cpu");
        builder.UseSetting("Inference:IntraOpThreads", "1");
        builder.UseSetting("Inference:WarmupImages", "1");
        builder.UseSetting("RateLimiting:Enabled", "false");
        builder.ConfigureLogging(logging => logging.ClearProviders());
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        return base.CreateHost(builder);
    }
}
