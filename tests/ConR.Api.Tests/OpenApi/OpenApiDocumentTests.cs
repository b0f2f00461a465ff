using System.Net;
using System.Text.Json;
using ConR.Api.Tests.Support;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace ConR.Api.Tests.OpenApi;

public sealed class OpenApiDocumentTests
{
    private static readonly string[] Paths =
    [
        "/v1/age", "/v1/age/batch", "/v1/depth", "/v1/depth/colormap", "/v1/depth/png16", "/v1/models", "/v1/models/{name}", "/v1/models/{name}/load",
        "/v2", "/v2/health/live", "/v2/health/ready", "/v2/models/{name}", "/v2/models/{name}/ready", "/v2/models/{name}/infer",
        "/v2/models/{name}/versions/{version}", "/v2/models/{name}/versions/{version}/ready", "/v2/models/{name}/versions/{version}/infer",
        "/metrics",
    ];

    [Fact]
    public async Task SwaggerJson_ReadsBackWithoutErrorsAndHasEveryPath()
    {
        await using var app = new ApiApplication();
        using var client = app.CreateClient();

        var json = await client.GetStringAsync("/swagger/v1/swagger.json");

        using var parsed = JsonDocument.Parse(json);
        Assert.Equal(Paths.Order(StringComparer.Ordinal), parsed.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        var (document, diagnostic) = OpenApiDocument.Parse(json, "json", new OpenApiReaderSettings());
        Assert.NotNull(document);
        Assert.Empty(diagnostic!.Errors);
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);
        Assert.All(document.Paths.Values.SelectMany(p => p.Operations!.Values), operation => Assert.False(string.IsNullOrWhiteSpace(operation.Summary), operation.OperationId));
    }

    [Fact]
    public async Task SwaggerJson_DescribesUploadsAsMultipartFilesAndErrorsAsProblemDetails()
    {
        await using var app = new ApiApplication();
        using var client = app.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));
        var paths = document.RootElement.GetProperty("paths");

        foreach (var path in new[] { "/v1/age", "/v1/depth" })
        {
            var image = paths.GetProperty(path).GetProperty("post").GetProperty("requestBody").GetProperty("content")
                .GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties").GetProperty("image");
            Assert.Equal(("string", "binary"), (image.GetProperty("type").GetString(), image.GetProperty("format").GetString()));
        }

        var batch = paths.GetProperty("/v1/age/batch").GetProperty("post").GetProperty("requestBody").GetProperty("content")
            .GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties").GetProperty("image");
        Assert.Equal("array", batch.GetProperty("type").GetString());
        Assert.Equal("binary", batch.GetProperty("items").GetProperty("format").GetString());

        var age = paths.GetProperty("/v1/age").GetProperty("post").GetProperty("responses");
        foreach (var status in new[] { "400", "413", "415", "422", "429", "503", "504" })
        {
            Assert.True(age.GetProperty(status).GetProperty("content").TryGetProperty("application/problem+json", out _), status);
        }

        var depth200 = paths.GetProperty("/v1/depth").GetProperty("post").GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.True(depth200.TryGetProperty("application/json", out _));
        Assert.True(depth200.TryGetProperty("image/png", out _));

        var load = paths.GetProperty("/v1/models/{name}/load").GetProperty("post");
        Assert.True(load.GetProperty("security")[0].TryGetProperty("X-Api-Key", out _));
    }

    [Fact]
    public async Task SwaggerJson_MixIsAnEnumWhereAnIntervalIsAnswered()
    {
        await using var app = new ApiApplication();
        using var client = app.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));
        var paths = document.RootElement.GetProperty("paths");

        foreach (var path in new[] { "/v1/age", "/v1/age/batch", "/v1/depth" })
        {
            var operation = paths.GetProperty(path).GetProperty("post");
            var mix = operation.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "mix");
            Assert.Equal("query", mix.GetProperty("in").GetString());
            Assert.False(mix.TryGetProperty("required", out var required) && required.GetBoolean(), path);
            Assert.Equal(["natural", "balanced"], mix.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
            Assert.Contains("natural", mix.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Contains("`mix`", operation.GetProperty("description").GetString(), StringComparison.Ordinal);
        }

        // A PNG carries no interval, so its operations take no mix.
        foreach (var path in new[] { "/v1/depth/png16", "/v1/depth/colormap" })
        {
            var parameters = paths.GetProperty(path).GetProperty("post").GetProperty("parameters").EnumerateArray();
            Assert.DoesNotContain(parameters, p => p.GetProperty("name").GetString() == "mix");
        }
    }

    [Fact]
    public async Task SwaggerUi_IsServedAtSwagger()
    {
        await using var app = new ApiApplication();
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
