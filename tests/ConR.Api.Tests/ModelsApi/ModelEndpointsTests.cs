using System.Net;
using System.Text.Json.Nodes;
using ConR.Api.Age;
using ConR.Api.ModelsApi;
using ConR.Api.Tests.Support;

namespace ConR.Api.Tests.ModelsApi;

public sealed class ModelEndpointsTests
{
    [Fact]
    public async Task ListModels_ShowsVersionProviderInputMetricsAndCalibration()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var models = await (await client.GetAsync("/v1/models")).OkAsync<ModelInfo[]>();

        Assert.Equal(["age", "depth"], models.Select(m => m.Name));
        var age = models[0];
        Assert.Equal(("ready", 1), (age.State, age.Version));
        Assert.Equal([1], age.AvailableVersions);
        var loaded = age.Loaded!;
        Assert.Equal(("age", "years", "CPUExecutionProvider"), (loaded.Task, loaded.Units, loaded.ExecutionProvider));
        Assert.False(loaded.CpuFallback.Active);
        Assert.Equal((16, 16, "image"), (loaded.Input.Width, loaded.Input.Height, loaded.Input.Name));
        Assert.NotNull(loaded.Metrics.Val);
        Assert.NotEmpty(loaded.Ranges);
        Assert.Equal([0.8, 0.9, 0.95], loaded.Calibration.Balanced.Levels);
        Assert.NotEmpty(loaded.Calibration.Balanced.TestCoverage.Overall);

        // The training histogram itself, which the demo page draws the answer over.
        Assert.Equal(loaded.TrainHistogram.Bins, loaded.TrainHistogram.Counts.Count);
        Assert.Equal(loaded.TrainHistogram.Bins, loaded.TrainHistogram.Shots.Count);
        Assert.True(loaded.TrainHistogram.Counts.Sum() > 0);
        Assert.Subset(new HashSet<string> { "many", "median", "few" }, loaded.TrainHistogram.Shots.ToHashSet());
        Assert.Equal("depth", models[1].Loaded!.Task);
    }

    [Fact]
    public async Task GetModel_CardExtrasAndNaNs_SerialiseAsJson()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var json = JsonNode.Parse(await client.GetStringAsync("/v1/models/depth"))!;

        Assert.Equal("depth", (string?)json["name"]);
        Assert.NotNull(json["loaded"]!["metrics"]!["extra"]!["testRmse"]);
        Assert.Null(json["loaded"]!["metrics"]!["val"]);
        Assert.Equal("metres", (string?)json["loaded"]!["units"]);
    }

    [Fact]
    public async Task LoadModel_WithoutKey_Answers401()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        using var response = await client.PostAsync("/v1/models/age/load", null);

        await response.ProblemAsync(401);
        Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData("test-admin-key-012345678")]
    [InlineData("test-admin-key-01234567890")]
    public async Task LoadModel_WrongKey_Answers403(string key)
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/models/age/load");
        request.Headers.Add("X-Api-Key", key);

        await (await client.SendAsync(request)).ProblemAsync(403);
    }

    [Fact]
    public async Task LoadModel_NoKeyConfigured_IsDisabledWith403()
    {
        await using var app = new ApiApplication(settings: new Dictionary<string, string?> { ["Inference:AdminApiKey"] = null });
        using var client = await app.StartReadyAsync();

        var problem = await (await client.SendAsync(Admin("/v1/models/age/load"))).ProblemAsync(403);

        Assert.Contains("disabled", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AdminKeyMatches_ComparesWholeKeys()
    {
        Assert.True(AdminKeyFilter.Matches("abc-0123456789abcdef", "abc-0123456789abcdef"));
        Assert.False(AdminKeyFilter.Matches("abc-0123456789abcdeF", "abc-0123456789abcdef"));
        Assert.False(AdminKeyFilter.Matches("abc-0123456789abcde", "abc-0123456789abcdef"));
        Assert.False(AdminKeyFilter.Matches(string.Empty, "abc-0123456789abcdef"));
    }

    [Fact]
    public async Task LoadModel_NewVersionInRepository_SwapsToIt()
    {
        using var repository = new TempRepository();
        await using var app = new ApiApplication(repository.Root);
        using var client = await app.StartReadyAsync();
        repository.AddVersion("age", from: 1, to: 2);

        var info = await (await client.SendAsync(Admin("/v1/models/age/load"))).OkAsync<ModelInfo>();
        var answer = await (await client.PostAsync("/v1/age", Multipart.Image(TestImages.Png()))).OkAsync<AgeResponse>();

        Assert.Equal((2, "ready"), (info.Version, info.State));
        Assert.Equal([1, 2], info.AvailableVersions);
        Assert.Equal(new ModelRef("age", 2), answer.Model);
        Assert.Contains("conr_model_load_total{model=\"age\",outcome=\"loaded\"} 2", await client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadModel_ExplicitOlderVersion_SwapsBack()
    {
        using var repository = new TempRepository();
        repository.AddVersion("age", from: 1, to: 2);
        await using var app = new ApiApplication(repository.Root);
        using var client = await app.StartReadyAsync();
        Assert.Equal(2, (await (await client.GetAsync("/v1/models/age")).OkAsync<ModelInfo>()).Version);

        var info = await (await client.SendAsync(Admin("/v1/models/age/load?version=1"))).OkAsync<ModelInfo>();

        Assert.Equal(1, info.Version);
    }

    [Theory]
    [InlineData("digest", "SHA-256")]
    [InlineData("card", "model.json")]
    [InlineData("signature", "does not match its card")]
    [InlineData("task", "task")]
    public async Task LoadModel_BadPackage_Answers422AndTheOldVersionKeepsServing(string defect, string reason)
    {
        using var repository = new TempRepository();
        await using var app = new ApiApplication(repository.Root);
        using var client = await app.StartReadyAsync();
        var folder = repository.AddVersion("age", from: 1, to: 2);
        var cardPath = Path.Combine(folder, "model.json");
        switch (defect)
        {
            case "digest":
                File.AppendAllText(Path.Combine(folder, "model.onnx"), "tampered");
                break;
            case "card":
                File.WriteAllText(cardPath, "{ \"schemaVersion\": 1, \"name\": ");
                break;
            case "signature":
                var card = JsonNode.Parse(File.ReadAllText(cardPath))!;
                card["input"]!["width"] = 99;
                File.WriteAllText(cardPath, card.ToJsonString());
                break;
            default:
                // A depth model exported under the age name: a valid package whose card matches its folder, for the
                // wrong endpoint.
                var depthCard = JsonNode.Parse(File.ReadAllText(Path.Combine(repository.Folder("depth", 1), "model.json")))!;
                depthCard["name"] = "age";
                depthCard["version"] = 2;
                File.WriteAllText(cardPath, depthCard.ToJsonString());
                File.Copy(Path.Combine(repository.Folder("depth", 1), "model.onnx"), Path.Combine(folder, "model.onnx"), overwrite: true);
                break;
        }

        var problem = await (await client.SendAsync(Admin("/v1/models/age/load"))).ProblemAsync(422);
        var answer = await (await client.PostAsync("/v1/age", Multipart.Image(TestImages.Png()))).OkAsync<AgeResponse>();
        var info = await (await client.GetAsync("/v1/models/age")).OkAsync<ModelInfo>();

        Assert.Contains(reason, problem.Detail, StringComparison.Ordinal);
        Assert.Equal(1, answer.Model.Version);
        Assert.Equal((1, "ready"), (info.Version, info.State));
        Assert.Contains(reason, info.LastError, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/health/ready")).StatusCode);
    }

    [Theory]
    [InlineData("/v1/models/age/load?version=7", 404)]
    [InlineData("/v1/models/nope/load", 404)]
    [InlineData("/v1/models/age/load?version=abc", 400)]
    [InlineData("/v1/models/age/load?version=0", 400)]
    public async Task LoadModel_UnknownOrMalformed_AnswersItsStatus(string path, int status)
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        await (await client.SendAsync(Admin(path))).ProblemAsync(status);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/health/ready")).StatusCode);
    }

    private static HttpRequestMessage Admin(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("X-Api-Key", ApiApplication.AdminKey);
        return request;
    }
}
