using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ConR.Api.KServe;
using ConR.Api.Tests.Support;

namespace ConR.Api.Tests.KServe;

public sealed class KServeEndpointsTests
{
    [Fact]
    public async Task Health_LiveAndReady_AnswerTrue()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        Assert.True((await (await client.GetAsync("/v2/health/live")).OkAsync<LiveResponse>()).Live);
        Assert.True((await (await client.GetAsync("/v2/health/ready")).OkAsync<ReadyResponse>()).Ready);
        Assert.Equal(new ModelReadyResponse("depth", true), await (await client.GetAsync("/v2/models/depth/ready")).OkAsync<ModelReadyResponse>());
        Assert.Equal("conr-api", (await (await client.GetAsync("/v2")).OkAsync<ServerMetadata>()).Name);
    }

    [Fact]
    public async Task ModelMetadata_DescribesTensorsLikeTheCard()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var metadata = await (await client.GetAsync("/v2/models/depth")).OkAsync<ModelMetadata>();

        Assert.Equal(("depth", "onnxruntime_onnx"), (metadata.Name, metadata.Platform));
        Assert.Equal(["1"], metadata.Versions);
        var input = metadata.Inputs.Single();
        Assert.Equal(("image", "FP32"), (input.Name, input.Datatype));
        Assert.Equal([-1L, 3, 24, 32], input.Shape);
        Assert.Equal([-1L, 1, 24, 32], metadata.Outputs.Single().Shape);
    }

    [Fact]
    public async Task Infer_AgeTensor_AnswersTheRawOutput()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        var request = InferBody("image", "FP32", [2, 3, 16, 16], Enumerable.Repeat(0.1f, 2 * 3 * 16 * 16));

        var response = await (await client.PostAsJsonAsync("/v2/models/age/infer", request)).Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal("age", (string?)response!["model_name"]);
        Assert.Equal("1", (string?)response["model_version"]);
        Assert.Equal("test-1", (string?)response["id"]);
        var output = response["outputs"]![0]!;
        Assert.Equal(("age", "FP32"), ((string?)output["name"], (string?)output["datatype"]));
        Assert.Equal([2L, 1], output["shape"]!.AsArray().Select(d => (long)d!));
        var data = output["data"]!.AsArray().Select(v => (float)v!).ToArray();
        Assert.Equal(2, data.Length);
        Assert.Equal(data[0], data[1]);
    }

    [Fact]
    public async Task Infer_NestedData_IsAcceptedRowMajor()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        var flat = InferBody("image", "FP32", [1, 3, 24, 32], Enumerable.Range(0, 3 * 24 * 32).Select(i => (i % 7) / 7f));
        var nested = InferBody("image", "FP32", [1, 3, 24, 32], null);
        nested["inputs"]![0]!["data"] = new JsonArray(Enumerable.Range(0, 3).Select(c => (JsonNode)new JsonArray(
            Enumerable.Range(0, 24).Select(y => (JsonNode)new JsonArray(
                Enumerable.Range(0, 32).Select(x => (JsonNode)JsonValue.Create((((c * 24 * 32) + (y * 32) + x) % 7) / 7f)!).ToArray())).ToArray())).ToArray());

        var a = await (await client.PostAsJsonAsync("/v2/models/depth/infer", flat)).Content.ReadFromJsonAsync<JsonObject>();
        var b = await (await client.PostAsJsonAsync("/v2/models/depth/infer", nested)).Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(a!["outputs"]![0]!["data"]!.ToJsonString(), b!["outputs"]![0]!["data"]!.ToJsonString());
        Assert.Equal(32 * 24, a["outputs"]![0]!["data"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("pixels", "FP32", new long[] { 1, 3, 16, 16 }, 768, "name must be 'image'")]
    [InlineData("image", "INT32", new long[] { 1, 3, 16, 16 }, 768, "datatype must be FP32")]
    [InlineData("image", "FP32", new long[] { 1, 3, 32, 32 }, 3072, "shape must be [N, 3, 16, 16]")]
    [InlineData("image", "FP32", new long[] { 1, 3, 16 }, 768, "shape must be")]
    [InlineData("image", "FP32", new long[] { 33, 3, 16, 16 }, 768, "must be 1 to 32")]
    [InlineData("image", "FP32", new long[] { 1, 3, 16, 16 }, 700, "must hold 768 numbers")]
    public async Task Infer_WrongTensor_Answers400WithTheProtocolsErrorMember(string name, string datatype, long[] shape, int count, string expected)
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        using var response = await client.PostAsJsonAsync("/v2/models/age/infer", InferBody(name, datatype, shape, Enumerable.Repeat(0f, count)));

        var problem = await response.ProblemAsync(400);
        Assert.Contains(expected, problem.Detail, StringComparison.Ordinal);
        Assert.Equal(problem.Detail, problem.Extensions["error"]?.ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Infer_MalformedJson_Answers400()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        using var response = await client.PostAsync("/v2/models/age/infer", new StringContent("{\"inputs\": [", System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.ProblemAsync(400);
        Assert.NotNull(problem.Extensions["error"]);
    }

    [Fact]
    public async Task Infer_UnknownModel_Answers404()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        await (await client.PostAsJsonAsync("/v2/models/nope/infer", InferBody("image", "FP32", [1, 3, 16, 16], Enumerable.Repeat(0f, 768)))).ProblemAsync(404);
    }

    [Fact]
    public async Task VersionRoutes_AnswerForTheServedVersion()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        var body = InferBody("image", "FP32", [1, 3, 16, 16], Enumerable.Repeat(0.3f, 768));

        var metadata = await (await client.GetAsync("/v2/models/age/versions/1")).OkAsync<ModelMetadata>();
        var ready = await (await client.GetAsync("/v2/models/age/versions/1/ready")).OkAsync<ModelReadyResponse>();
        var versioned = await (await client.PostAsJsonAsync("/v2/models/age/versions/1/infer", body)).Content.ReadFromJsonAsync<JsonObject>();
        var plain = await (await client.PostAsJsonAsync("/v2/models/age/infer", body)).Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(["1"], metadata.Versions);
        Assert.Equal(new ModelReadyResponse("age", true), ready);
        Assert.Equal("1", (string?)versioned!["model_version"]);
        Assert.Equal(plain!["outputs"]![0]!["data"]!.ToJsonString(), versioned["outputs"]![0]!["data"]!.ToJsonString());
    }

    [Theory]
    [InlineData("2")]
    [InlineData("latest")]
    [InlineData("-1")]
    public async Task VersionRoutes_OtherVersion_Answers404AndNamesTheServedOne(string version)
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var metadata = await (await client.GetAsync($"/v2/models/age/versions/{version}")).ProblemAsync(404);
        await (await client.GetAsync($"/v2/models/age/versions/{version}/ready")).ProblemAsync(404);
        await (await client.PostAsJsonAsync($"/v2/models/age/versions/{version}/infer", InferBody("image", "FP32", [1, 3, 16, 16], Enumerable.Repeat(0f, 768)))).ProblemAsync(404);

        Assert.Contains("version 1 is", metadata.Detail, StringComparison.Ordinal);

        // The refused calls released their leases: the served version still answers.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/models/age/versions/1/ready")).StatusCode);
    }

    private static JsonObject InferBody(string name, string datatype, long[] shape, IEnumerable<float>? data) => new()
    {
        ["id"] = "test-1",
        ["inputs"] = new JsonArray(new JsonObject
        {
            ["name"] = name,
            ["datatype"] = datatype,
            ["shape"] = new JsonArray([.. shape.Select(d => (JsonNode)JsonValue.Create(d))]),
            ["data"] = data is null ? null : new JsonArray([.. data.Select(v => (JsonNode)JsonValue.Create(v))]),
        }),
    };
}
