using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ConR.Api.Age;
using ConR.Api.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Api.Tests.Imaging;

/// <summary>Every kind of bad input gets its 4xx ProblemDetails, and the service stays healthy after it.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task MissingImageField_Answers400NamingTheFieldsSent()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        using var form = new MultipartFormDataContent { { new StringContent("3"), "x" } };

        var problem = await (await client.PostAsync("/v1/age", form)).ProblemAsync(400);

        Assert.Contains("'image'", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("'x'", problem.Detail, StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Theory]
    [InlineData("/v1/age", "; send several to POST /v1/age/batch.")]
    [InlineData("/v1/depth", ".")]
    public async Task TwoImagesOnASingleImageRoute_Answers400_RatherThanAnsweringForTheFirst(string route, string hint)
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var problem = await (await client.PostAsync(route, Multipart.Images([TestImages.Png(seed: 1), TestImages.Png(seed: 2)]))).ProblemAsync(400);

        Assert.EndsWith("This route takes one image (got 2 files named 'image')" + hint, problem.Detail, StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task ImageSentAsText_Answers400SayingItIsNotAFile()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        using var form = new MultipartFormDataContent { { new StringContent("not a file, the text of one"), "image" } };

        var problem = await (await client.PostAsync("/v1/age", form)).ProblemAsync(400);

        Assert.StartsWith("The multipart field 'image' arrived as text, not as a file", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongFieldName_Answers400NamingIt()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var problem = await (await client.PostAsync("/v1/age", Multipart.Image(TestImages.Png(), field: "file"))).ProblemAsync(400);

        Assert.Contains("got fields 'file'", problem.Detail, StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task EmptyFile_Answers400()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var problem = await (await client.PostAsync("/v1/age", Multipart.Image([]))).ProblemAsync(400);

        Assert.Contains("empty", problem.Detail, StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task NonImageBytes_Answers415()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var problem = await (await client.PostAsync("/v1/age", Multipart.Image(TestImages.Text(), contentType: "image/jpeg"))).ProblemAsync(415);

        Assert.Contains("JPEG, PNG, BMP, WebP", problem.Detail, StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task UnsupportedFormatGif_Answers415()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        await (await client.PostAsync("/v1/depth", Multipart.Image(TestImages.Gif(), contentType: "image/gif"))).ProblemAsync(415);

        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task TruncatedJpeg_Answers422()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var problem = await (await client.PostAsync("/v1/age", Multipart.Image(TestImages.TruncatedJpeg(), contentType: "image/jpeg"))).ProblemAsync(422);

        Assert.Contains("truncated", problem.Detail, StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task CorruptPngData_Answers422()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        var png = TestImages.Png(64, 64);

        // Keep the signature and IHDR (33 bytes), scramble the compressed pixels, keep IEND.
        var rng = new Random(4);
        for (var i = 41; i < png.Length - 12; i++)
        {
            png[i] = (byte)rng.Next(256);
        }

        await (await client.PostAsync("/v1/age", Multipart.Image(png))).ProblemAsync(422);

        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task AnimatedWebp_IsReadFromItsFirstFrame()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        using var firstFrame = new Image<Rgb24>(24, 16, new Rgb24(220, 20, 20));
        using var stream = new MemoryStream();
        firstFrame.SaveAsPng(stream);

        var animated = await (await client.PostAsync("/v1/age", Multipart.Image(TestImages.AnimatedWebp(), contentType: "image/webp"))).OkAsync<AgeResponse>();
        var still = await (await client.PostAsync("/v1/age", Multipart.Image(stream.ToArray()))).OkAsync<AgeResponse>();

        Assert.Equal(still.Age, animated.Age);
    }

    [Fact]
    public async Task FileOverMaxUploadBytes_Answers413()
    {
        await using var app = new ApiApplication(settings: new Dictionary<string, string?> { ["Inference:MaxUploadBytes"] = "4096" });
        using var client = await app.StartReadyAsync();
        var image = TestImages.Bmp(60, 60);
        Assert.True(image.Length > 4096);

        var problem = await (await client.PostAsync("/v1/age", Multipart.Image(image, contentType: "image/bmp"))).ProblemAsync(413);

        Assert.Contains("MaxUploadBytes", problem.Detail, StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task BodyFarOverTheLimit_Answers413BeforeReadingIt()
    {
        await using var app = new ApiApplication(settings: new Dictionary<string, string?> { ["Inference:MaxUploadBytes"] = "1024" });
        using var client = await app.StartReadyAsync();
        var bytes = new byte[200_000];
        new Random(1).NextBytes(bytes);

        var problem = await (await client.PostAsync("/v1/age", Multipart.Image(bytes))).ProblemAsync(413);

        Assert.Contains("at most", problem.Detail, StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task MultipartBoundaryOverTheFormReadersLimit_Answers400AsMalformed()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        var boundary = new string('b', 200);
        using var content = new ByteArrayContent(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--{boundary}--\r\n"));
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");

        var problem = await (await client.PostAsync("/v1/age", content)).ProblemAsync(400);

        Assert.StartsWith("The multipart body is malformed:", problem.Detail, StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task StreamedBodyOverTheLimit_Answers413()
    {
        await using var app = new ApiApplication(settings: new Dictionary<string, string?> { ["Inference:MaxUploadBytes"] = "1024" });
        using var client = await app.StartReadyAsync();
        var bytes = new byte[200_000];
        new Random(2).NextBytes(bytes);
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(new UnknownLengthStream(bytes));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", "big.png");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/age") { Content = form };
        request.Headers.TransferEncodingChunked = true;

        var problem = await (await client.SendAsync(request)).ProblemAsync(413);

        Assert.Contains("Inference:MaxUploadBytes", problem.Detail, StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task HeaderDeclaringGigapixels_Answers413WithoutDecoding()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var problem = await (await client.PostAsync("/v1/age", Multipart.Image(TestImages.HugePngHeader()))).ProblemAsync(413);

        Assert.Contains("50000x50000", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("MaxPixels", problem.Detail, StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task ImageOverMaxPixels_Answers413()
    {
        await using var app = new ApiApplication(settings: new Dictionary<string, string?> { ["Inference:MaxPixels"] = "1000" });
        using var client = await app.StartReadyAsync();

        await (await client.PostAsync("/v1/depth", Multipart.Image(TestImages.Png(40, 30)))).ProblemAsync(413);

        using var small = await client.PostAsync("/v1/depth", Multipart.Image(TestImages.Png(30, 30)));
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
    }

    [Theory]
    [InlineData("30", "0", "20", "20")]
    [InlineData("-1", "0", "10", "10")]
    [InlineData("0", "25", "10", "10")]
    public async Task FaceBoxOutsideTheImage_Answers422(string x, string y, string width, string height)
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var problem = await (await client.PostAsync("/v1/age", Multipart.Image(TestImages.Png(40, 30), fields: [("x", x), ("y", y), ("width", width), ("height", height)]))).ProblemAsync(422);

        Assert.Contains("40x30", problem.Detail, StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Theory]
    [InlineData(new[] { "x", "1" }, "missing: y, width, height")]
    [InlineData(new[] { "x", "1", "y", "1", "width", "0", "height", "5" }, "positive width and height")]
    [InlineData(new[] { "x", "abc", "y", "1", "width", "5", "height", "5" }, "x")]
    public async Task MalformedFaceBox_Answers400(string[] fields, string expected)
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        var pairs = fields.Chunk(2).Select(p => (p[0], p[1])).ToArray();

        var problem = await (await client.PostAsync("/v1/age", Multipart.Image(TestImages.Png(), fields: pairs))).ProblemAsync(400);

        Assert.Contains(expected, problem.Detail, StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task JsonInsteadOfMultipart_Answers415()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var problem = await (await client.PostAsync("/v1/age", new StringContent("{\"image\": \"abc\"}", System.Text.Encoding.UTF8, "application/json"))).ProblemAsync(415);

        Assert.Contains("multipart/form-data", problem.Detail, StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Theory]
    [InlineData("0.5")]
    [InlineData("abc")]
    [InlineData("90")]
    public async Task BadLevel_Answers400(string level)
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var problem = await (await client.PostAsync($"/v1/age?level={level}", Multipart.Image(TestImages.Png()))).ProblemAsync(400);

        Assert.Contains("level must be one of 0.8, 0.9, 0.95", problem.Detail, StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Theory]
    [InlineData("GET", "/v1/models/nope")]
    [InlineData("GET", "/v2/models/nope")]
    [InlineData("GET", "/v2/models/nope/ready")]
    public async Task UnknownModel_Answers404(string method, string path)
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var problem = await (await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).ProblemAsync(404);

        Assert.Contains("nope", problem.Detail, StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task UnknownRoute_Answers404ProblemDetails()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        await (await client.GetAsync("/v1/nothing-here")).ProblemAsync(404);

        await AssertStillServesAsync(client);
    }

    [Theory]
    [InlineData("/v1/age", 1, 4000)]
    [InlineData("/v1/age", 4000, 1)]
    [InlineData("/v1/depth", 2, 3000)]
    public async Task TallThinImage_UnderThePixelCap_Answers422NamingTheSetting_NotA500(string path, int width, int height)
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        using var response = await client.PostAsync(path, Multipart.Image(TestImages.Png(width, height)));

        var problem = await response.ProblemAsync(422);
        Assert.Contains($"{width}x{height}", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("Inference:MaxAspectRatio", problem.Detail, StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task ImageWithASideOverMaxSide_Answers413NamingTheSetting_BeforeDecoding()
    {
        await using var app = new ApiApplication(settings: new Dictionary<string, string?> { ["Inference:MaxSide"] = "100" });
        using var client = await app.StartReadyAsync();

        using var response = await client.PostAsync("/v1/age", Multipart.Image(TestImages.Png(150, 100)));

        var problem = await response.ProblemAsync(413);
        Assert.Contains("150x100", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("Inference:MaxSide", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/age", Multipart.Image(TestImages.Png(100, 100)))).StatusCode);
    }

    [Fact]
    public async Task AdminLoad_WhenTheClientBudgetIsSpent_StillRuns_UntilItsOwnBudgetIsSpent()
    {
        var settings = TwoRequestsPerClient();
        settings["RateLimiting:AdminRequestsPerMinute"] = "1";
        await using var app = new ApiApplication(settings: settings);
        using var client = await app.StartReadyAsync();
        Assert.True((await client.GetAsync("/v1/models")).IsSuccessStatusCode);
        Assert.True((await client.GetAsync("/v1/models")).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/v1/models")).StatusCode);

        using var load = await client.SendAsync(AdminLoad());
        Assert.Equal(HttpStatusCode.OK, load.StatusCode);

        using var again = await client.SendAsync(AdminLoad());
        var problem = await again.ProblemAsync(429);
        Assert.Contains("RateLimiting:AdminRequestsPerMinute", problem.Detail, StringComparison.Ordinal);
    }

    // A client budget of two requests that does not refill during a test.
    private static Dictionary<string, string?> TwoRequestsPerClient() => new()
    {
        ["RateLimiting:Enabled"] = "true",
        ["RateLimiting:TokenLimit"] = "2",
        ["RateLimiting:TokensPerPeriod"] = "1",
        ["RateLimiting:ReplenishmentPeriodMs"] = "60000",
    };

    private static HttpRequestMessage AdminLoad()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/models/age/load");
        request.Headers.Add("X-Api-Key", ApiApplication.AdminKey);
        return request;
    }

    [Fact]
    public async Task TooManyRequestsFromOneClient_Answers429WithRetryAfter()
    {
        await using var app = new ApiApplication(settings: TwoRequestsPerClient());
        using var client = await app.StartReadyAsync();

        Assert.True((await client.GetAsync("/v1/models")).IsSuccessStatusCode);
        Assert.True((await client.GetAsync("/v1/models")).IsSuccessStatusCode);
        using var limited = await client.PostAsync("/v1/age", Multipart.Image(TestImages.Png()));

        var problem = await limited.ProblemAsync(429);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Contains("requests per", problem.Detail, StringComparison.Ordinal);

        // Probes and metrics are not rate limited: the service is seen healthy.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode);
    }

    // After a bad request: still live, still ready, and a good request still works.
    private static async Task AssertStillServesAsync(HttpClient client)
    {
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/health/ready")).StatusCode);
        using var good = await client.PostAsync("/v1/age", Multipart.Image(TestImages.Png(10, 8)));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }
}
