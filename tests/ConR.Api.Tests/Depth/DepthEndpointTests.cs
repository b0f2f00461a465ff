using ConR.Api.Depth;
using ConR.Api.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Api.Tests.Depth;

public sealed class DepthEndpointTests
{
    [Fact]
    public async Task EstimateDepth_Json_AnswersMapsAndRanges()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var answer = await (await client.PostAsync("/v1/depth", Multipart.Image(TestImages.Jpeg(64, 48)))).OkAsync<DepthResponse>();

        // The fixture depth model: 32 x 24 output, metres, label range 0..10.
        Assert.Equal((32, 24, "metres", 0.9), (answer.Width, answer.Height, answer.Units, answer.Level));
        var depth = Floats(answer.Depth);
        var uncertainty = Floats(answer.Uncertainty);
        Assert.Equal(32 * 24, depth.Length);
        Assert.Equal(32 * 24, uncertainty.Length);
        Assert.All(depth, d => Assert.InRange(d, 0f, 10f));
        Assert.All(uncertainty, u => Assert.True(u > 0));
        Assert.Equal(depth.Min(), answer.Min, 5);
        Assert.Equal(depth.Max(), answer.Max, 5);
        Assert.NotEmpty(answer.Ranges);
        Assert.Equal(1.0, answer.Ranges.Sum(r => r.PixelFraction), 4);
        foreach (var range in answer.Ranges)
        {
            Assert.Equal(0.5, range.To - range.From, 9);
            Assert.Contains(range.Shot, new[] { "many", "median", "few" });
            Assert.True(range.HalfWidth > 0);
            var inRange = depth.Count(d => d >= range.From && d < range.To);
            Assert.Equal((double)inRange / depth.Length, range.PixelFraction, 4);
        }
    }

    [Fact]
    public async Task EstimateDepth_HigherLevel_WidensTheUncertainty()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        var image = TestImages.Png(50, 40);

        var narrow = await (await client.PostAsync("/v1/depth?level=0.8", Multipart.Image(image))).OkAsync<DepthResponse>();
        var wide = await (await client.PostAsync("/v1/depth?level=0.95", Multipart.Image(image))).OkAsync<DepthResponse>();

        Assert.Equal(narrow.Depth, wide.Depth);
        Assert.True(Floats(wide.Uncertainty).Sum() > Floats(narrow.Uncertainty).Sum());
    }

    [Fact]
    public async Task EstimateDepth_Png16_IsTheJsonMapInMillimetres()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        var image = TestImages.Png(50, 40);
        var json = await (await client.PostAsync("/v1/depth", Multipart.Image(image))).OkAsync<DepthResponse>();

        using var response = await client.PostAsync("/v1/depth?format=png16", Multipart.Image(image));

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("0.001", response.Headers.GetValues("X-Depth-Scale").Single());
        Assert.Equal("millimetres", response.Headers.GetValues("X-Depth-Pixel-Units").Single());
        // The range headers are in the units the units header names: metres, as in the JSON answer.
        Assert.Equal("metres", response.Headers.GetValues("X-Depth-Units").Single());
        Assert.Equal(json.Min, double.Parse(response.Headers.GetValues("X-Depth-Min").Single(), System.Globalization.CultureInfo.InvariantCulture), 1e-5);
        Assert.Equal(json.Max, double.Parse(response.Headers.GetValues("X-Depth-Max").Single(), System.Globalization.CultureInfo.InvariantCulture), 1e-5);
        using var png = Image.Load<L16>(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((32, 24), (png.Width, png.Height));
        var depth = Floats(json.Depth);
        for (var y = 0; y < 24; y += 7)
        {
            for (var x = 0; x < 32; x += 5)
            {
                Assert.Equal(Math.Round(depth[(y * 32) + x] * 1000), png[x, y].PackedValue, 0);
            }
        }
    }

    [Fact]
    public async Task EstimateDepth_Colormap_IsAColourPngWithItsRangeInHeaders()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        var image = TestImages.Png(50, 40);
        var json = await (await client.PostAsync("/v1/depth", Multipart.Image(image))).OkAsync<DepthResponse>();

        using var response = await client.PostAsync("/v1/depth?format=colormap", Multipart.Image(image));

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(json.Min, double.Parse(response.Headers.GetValues("X-Depth-Min").Single(), System.Globalization.CultureInfo.InvariantCulture), 1e-5);
        Assert.Equal(json.Max, double.Parse(response.Headers.GetValues("X-Depth-Max").Single(), System.Globalization.CultureInfo.InvariantCulture), 1e-5);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var png = Image.Load<Rgb24>(bytes);
        Assert.Equal((32, 24), (png.Width, png.Height));

        // The nearest pixel is the palette's dark-blue end, the farthest its dark-red end.
        var depth = Floats(json.Depth);
        var near = Array.IndexOf(depth, depth.Min());
        var far = Array.IndexOf(depth, depth.Max());
        Assert.Equal(new Rgb24(48, 18, 59), png[near % 32, near / 32]);
        Assert.Equal(new Rgb24(122, 4, 3), png[far % 32, far / 32]);
    }

    [Fact]
    public async Task EstimateDepth_UnknownFormat_IsRefusedWith400()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        using var response = await client.PostAsync("/v1/depth?format=exr", Multipart.Image(TestImages.Png()));

        var problem = await response.ProblemAsync(400);
        Assert.Contains("format must be json, png16 or colormap", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EstimateDepth_EmptyFormat_MeansTheDefaultJson_AsAnEmptyLevelOrMixDoes()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var answer = await (await client.PostAsync("/v1/depth?format=&level=&mix=", Multipart.Image(TestImages.Png()))).OkAsync<DepthResponse>();

        Assert.Equal(0.9, answer.Level);
    }

    [Fact]
    public async Task EstimateDepth_WithoutADepthModel_Answers404()
    {
        await using var app = new ApiApplication(settings: new Dictionary<string, string?> { ["Inference:Models:0"] = "age" });
        using var client = await app.StartReadyAsync();

        using var response = await client.PostAsync("/v1/depth", Multipart.Image(TestImages.Png()));

        var problem = await response.ProblemAsync(404);
        Assert.Contains("'depth'", problem.Detail, StringComparison.Ordinal);
        Assert.True((await client.GetAsync("/v2/health/ready")).IsSuccessStatusCode);
    }

    private static float[] Floats(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
