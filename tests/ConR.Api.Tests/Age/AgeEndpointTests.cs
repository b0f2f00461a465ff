using System.Net;
using ConR.Api.Age;
using ConR.Api.Tests.Support;

namespace ConR.Api.Tests.Age;

public sealed class AgeEndpointTests
{
    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    [InlineData("bmp")]
    [InlineData("webp")]
    public async Task EstimateAge_AcceptedFormat_AnswersAgeIntervalRangeAndModel(string format)
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        var image = format switch
        {
            "png" => TestImages.Png(),
            "jpeg" => TestImages.Jpeg(),
            "bmp" => TestImages.Bmp(),
            _ => TestImages.Webp(),
        };

        var answer = await (await client.PostAsync("/v1/age", Multipart.Image(image))).OkAsync<AgeResponse>();

        // The fixture's card: labels 1..60, 5-year validation bands, 1-year histogram bins.
        Assert.InRange(answer.Age, 1, 60);
        Assert.Equal(0.9, answer.Interval.Level);
        Assert.True(answer.Interval.Lower <= answer.Age && answer.Age <= answer.Interval.Upper, $"{answer.Interval} around {answer.Age}");
        Assert.Equal(5, answer.Range.To - answer.Range.From);
        Assert.True(answer.Range.From <= answer.Age && answer.Age < answer.Range.To + 1e-9);
        Assert.Contains(answer.Range.Shot, new[] { "many", "median", "few" });
        Assert.True(answer.Range.TrainCount >= 0);
        Assert.Equal(new ModelRef("age", 1), answer.Model);
        Assert.True(answer.ElapsedMs > 0);
    }

    [Fact]
    public async Task EstimateAge_HigherLevel_GivesAWiderOrEqualInterval()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        var image = TestImages.Png();

        var narrow = await (await client.PostAsync("/v1/age?level=0.8", Multipart.Image(image))).OkAsync<AgeResponse>();
        var wide = await (await client.PostAsync("/v1/age?level=0.95", Multipart.Image(image))).OkAsync<AgeResponse>();

        Assert.Equal(0.8, narrow.Interval.Level);
        Assert.Equal(0.95, wide.Interval.Level);
        Assert.Equal(narrow.Age, wide.Age);
        Assert.True(wide.Interval.Upper - wide.Interval.Lower >= narrow.Interval.Upper - narrow.Interval.Lower);
    }

    [Fact]
    public async Task EstimateAge_FaceBox_CropsBeforeEstimating()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        // Left half dark, right half bright: the fixture model's answer depends on brightness, so crops differ.
        using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(80, 40);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var v = (byte)(x < 40 ? 10 : 240);
                    row[x] = new(v, (byte)(255 - v), (byte)(y * 6));
                }
            }
        });
        using var stream = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, stream);
        var bytes = stream.ToArray();

        var left = await (await client.PostAsync("/v1/age", Multipart.Image(bytes, fields: [("x", "0"), ("y", "0"), ("width", "40"), ("height", "40")]))).OkAsync<AgeResponse>();
        var right = await (await client.PostAsync("/v1/age", Multipart.Image(bytes, fields: [("x", "40"), ("y", "0"), ("width", "40"), ("height", "40")]))).OkAsync<AgeResponse>();

        Assert.NotEqual(left.Age, right.Age);
    }

    [Fact]
    public async Task EstimateAges_SeveralImages_AnswersEachInOrder()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        byte[][] images = [TestImages.Png(seed: 1), TestImages.Png(20, 50, seed: 2), TestImages.Png(64, 64, seed: 3)];
        var single = new List<double>();
        foreach (var image in images)
        {
            single.Add((await (await client.PostAsync("/v1/age", Multipart.Image(image))).OkAsync<AgeResponse>()).Age);
        }

        var batch = await (await client.PostAsync("/v1/age/batch", Multipart.Images(images))).OkAsync<AgeResponse[]>();

        Assert.Equal(single, batch.Select(a => a.Age));
    }

    [Fact]
    public async Task EstimateAges_MoreThan32Images_IsRefusedWith400()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        var image = TestImages.Png(8, 8);

        using var response = await client.PostAsync("/v1/age/batch", Multipart.Images(Enumerable.Repeat(image, 33)));

        var problem = await response.ProblemAsync(400);
        Assert.Contains("At most 32", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EstimateAges_NoImageField_IsRefusedWith400()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        using var response = await client.PostAsync("/v1/age/batch", Multipart.Images([TestImages.Png()], field: "images"));

        var problem = await response.ProblemAsync(400);
        Assert.Contains("'images'", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/health/live")).StatusCode);
    }
}
