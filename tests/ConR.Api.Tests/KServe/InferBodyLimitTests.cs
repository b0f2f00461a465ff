using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConR.Api.KServe;
using ConR.Api.Tests.Support;

namespace ConR.Api.Tests.KServe;

/// <summary>How the KServe v2 infer route bounds its JSON body: sized from the model, parsed while it streams in.</summary>
public sealed class InferBodyLimitTests
{
    // The fixture age model takes 3x16x16.
    private const int ItemNumbers = 3 * 16 * 16;
    private const long DefaultLimit = (32L * ItemNumbers * InferRequestSize.BytesPerNumber) + InferRequestSize.EnvelopeBytes;

    [Fact]
    public async Task LargestValidRequest_PrettyPrintedWithFullPrecision_FitsTheDefaultLimit()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        // What numpy's tolist() through json.dumps(indent=4) sends: nested [N][3][H][W], 17-digit doubles.
        var random = new Random(3);
        var nested = new JsonArray([.. Enumerable.Range(0, 32).Select(_ => (JsonNode)new JsonArray([.. Enumerable.Range(0, 3).Select(_ =>
            (JsonNode)new JsonArray([.. Enumerable.Range(0, 16).Select(_ =>
                (JsonNode)new JsonArray([.. Enumerable.Range(0, 16).Select(_ => (JsonNode)JsonValue.Create(-(random.NextDouble() * 1e-5) - 1e-7)!)]))]))]))]);
        var body = new JsonObject
        {
            ["id"] = "largest",
            ["inputs"] = new JsonArray(new JsonObject { ["name"] = "image", ["datatype"] = "FP32", ["shape"] = new JsonArray(32, 3, 16, 16), ["data"] = nested }),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 4 });

        using var response = await client.PostAsync("/v2/models/age/infer", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(body.Length > DefaultLimit / 2, $"the body ({body.Length} bytes) should be a realistic worst case");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.OkAsync<JsonObject>();
        Assert.Equal(32, answer["outputs"]![0]!["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task BodyOverTheLargestValidRequest_Answers413BeforeReadingIt()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        using var content = new ByteArrayContent(new byte[DefaultLimit + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync("/v2/models/age/infer", content);

        var problem = await response.ProblemAsync(413);
        Assert.Contains($"at most {DefaultLimit} (Inference:MaxInferRequestBytes)", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfiguredLimit_Overrides_TheModelsSize()
    {
        await using var app = new ApiApplication(settings: new Dictionary<string, string?> { ["Inference:MaxInferRequestBytes"] = "1000" });
        using var client = await app.StartReadyAsync();
        using var content = new StringContent(new string(' ', 1001), Encoding.UTF8, "application/json");

        var problem = await (await client.PostAsync("/v2/models/age/infer", content)).ProblemAsync(413);

        Assert.Contains("at most 1000 (Inference:MaxInferRequestBytes)", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChunkedBodyOverTheLimit_Answers413NamingTheKServeSetting()
    {
        // Without Content-Length the limit is found while the body is read: the answer must still name this route's
        // setting (it once named the image upload's). Kestrel: the test server does not enforce body size limits.
        await using var app = new ApiApplication(settings: new Dictionary<string, string?> { ["Inference:MaxInferRequestBytes"] = "1000" });
        app.UseKestrel(0);
        using var client = await app.StartReadyAsync();
        var body = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes("{" + new string(' ', 5000) + "}")));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/age/infer") { Content = body };
        request.Headers.TransferEncodingChunked = true;

        var problem = await (await client.SendAsync(request)).ProblemAsync(413);

        Assert.Contains("at most 1000 bytes (Inference:MaxInferRequestBytes)", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndlessBody_IsRefusedAtTheFirstNumberPastTheShape()
    {
        // Kestrel and a raw socket: the test server buffers a request body whole before the app sees it, and HttpClient
        // reports the broken pipe of a refused upload instead of the answer that came first.
        await using var app = new ApiApplication();
        app.UseKestrel(0);
        using var client = await app.StartReadyAsync();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(client.BaseAddress!.Host, client.BaseAddress.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            "POST /v2/models/age/infer HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
        await socket.SendAsync(Chunk("""{"inputs": [{"name": "image", "datatype": "FP32", "shape": [1, 3, 16, 16], "data": ["""));

        // Numbers until the answer arrives (at most 256 MB): a service that reads to the end never answers in time.
        var numbers = Chunk(string.Concat(Enumerable.Repeat("0.25, ", 1000)));
        long sent = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        try
        {
            while (!socket.Poll(0, SelectMode.SelectRead) && sent < 256L * 1024 * 1024 && DateTime.UtcNow < deadline)
            {
                await socket.SendAsync(numbers);
                sent += numbers.Length;
            }
        }
        catch (SocketException)
        {
            // The service answered, drained what it allows and closed: the answer is already here.
        }

        var answer = new byte[64 * 1024];
        var length = await socket.ReceiveAsync(answer);
        var text = Encoding.UTF8.GetString(answer, 0, length);

        Assert.StartsWith("HTTP/1.1 400", text, StringComparison.Ordinal);
        Assert.Contains($"more than {ItemNumbers} numbers", text, StringComparison.Ordinal);
        // Long before the old 64 MB body limit (what was sent is the socket buffers' worth, not what was parsed).
        Assert.True(sent < 64 * 1024 * 1024, $"the service answered only after {sent} bytes");

        // The refused body leaves the request's reader usable: Kestrel drains the rest without logging an error
        // (a client could otherwise flood the log at error level, one entry per refused body).
        await Task.Delay(500);
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains("draining", StringComparison.OrdinalIgnoreCase));
    }

    private static byte[] Chunk(string text)
    {
        var data = Encoding.UTF8.GetBytes(text);
        return [.. Encoding.ASCII.GetBytes($"{data.Length:x}\r\n"), .. data, .. "\r\n"u8];
    }

    [Fact]
    public async Task DataBeforeShape_GetsTheSameAnswer()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        var data = string.Join(", ", Enumerable.Range(0, ItemNumbers).Select(i => ((i % 5) / 5f).ToString(CultureInfo.InvariantCulture)));
        var usual = $$"""{"inputs": [{"name": "image", "datatype": "FP32", "shape": [1, 3, 16, 16], "data": [{{data}}]}]}""";
        var reordered = $$"""{"inputs": [{"data": [{{data}}], "shape": [1, 3, 16, 16], "datatype": "FP32", "name": "image"}]}""";

        var a = await (await client.PostAsync("/v2/models/age/infer", new StringContent(usual, Encoding.UTF8, "application/json"))).OkAsync<JsonObject>();
        var b = await (await client.PostAsync("/v2/models/age/infer", new StringContent(reordered, Encoding.UTF8, "application/json"))).OkAsync<JsonObject>();

        Assert.Equal(a["outputs"]!.ToJsonString(), b["outputs"]!.ToJsonString());
    }

    [Fact]
    public async Task NotJson_Answers415()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var problem = await (await client.PostAsync("/v2/models/age/infer", new StringContent("{}", Encoding.UTF8, "text/plain"))).ProblemAsync(415);

        Assert.Contains("application/json", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_StillDocumentsTheRequestBody()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));

        foreach (var path in new[] { "/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}/infer" })
        {
            var schema = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody")
                .GetProperty("content").GetProperty("application/json").GetProperty("schema");
            Assert.EndsWith("/InferRequest", schema.GetProperty("$ref").GetString(), StringComparison.Ordinal);
        }
    }
}
