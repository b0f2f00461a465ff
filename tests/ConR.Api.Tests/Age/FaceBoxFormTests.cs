using System.Text.Json;
using ConR.Api.Age;
using ConR.Api.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace ConR.Api.Tests.Age;

/// <summary>What Swagger UI's "Try it out" sends for the optional face box, and the OpenAPI that drives it.</summary>
public sealed class FaceBoxFormTests
{
    [Theory]
    [InlineData("")] // "Send empty value" ticked
    [InlineData("0")] // the form's pre-filled zeros
    public async Task EstimateAge_BoxFieldsAsSwaggerUiSendsThem_AnswersAsWithoutABox(string value)
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        var image = TestImages.Png(60, 60);
        var plain = await (await client.PostAsync("/v1/age", Multipart.Image(image))).OkAsync<AgeResponse>();

        using var form = Multipart.Image(image, fields: [("x", value), ("y", value), ("width", value), ("height", value)]);
        var answer = await (await client.PostAsync("/v1/age", form)).OkAsync<AgeResponse>();

        Assert.Equal(plain.Age, answer.Age);
    }

    [Fact]
    public async Task EstimateAge_BoxFieldThatIsNotANumber_Answers400NamingTheField()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        using var form = Multipart.Image(TestImages.Png(60, 60), fields: [("x", "abc"), ("y", "0"), ("width", "10"), ("height", "10")]);

        var problem = await (await client.PostAsync("/v1/age", form)).ProblemAsync(StatusCodes.Status400BadRequest);

        Assert.Equal("x must be a whole number of pixels (got 'abc').", problem.Detail);
    }

    [Fact]
    public async Task SwaggerJson_BoxFieldsAreNullableIntegers_AndFixedChoicesAreEnums()
    {
        await using var app = new ApiApplication();
        using var client = app.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));
        var paths = document.RootElement.GetProperty("paths");

        var properties = paths.GetProperty("/v1/age").GetProperty("post").GetProperty("requestBody").GetProperty("content")
            .GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties");
        foreach (var field in new[] { "x", "y", "width", "height" })
        {
            Assert.Equal("integer", properties.GetProperty(field).GetProperty("type").GetString());
            Assert.True(properties.GetProperty(field).GetProperty("nullable").GetBoolean(), field);
        }

        Assert.Equal(["0.8", "0.9", "0.95"], Enum(paths, "/v1/age", "level"));
        Assert.Equal(["0.8", "0.9", "0.95"], Enum(paths, "/v1/depth", "level"));
        Assert.Equal(["json", "png16", "colormap"], Enum(paths, "/v1/depth", "format"));
    }

    private static string[] Enum(JsonElement paths, string path, string parameter) =>
        paths.GetProperty(path).GetProperty("post").GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == parameter)
            .GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString() ?? "").ToArray();
}
