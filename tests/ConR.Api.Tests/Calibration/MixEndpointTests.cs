using System.Runtime.InteropServices;
using ConR.Api.Age;
using ConR.Api.Depth;
using ConR.Api.Tests.Support;
using ConR.Shared.Calibration;

namespace ConR.Api.Tests.Calibration;

// The `mix` query of /v1/age, /v1/age/batch and /v1/depth: which calibration an interval comes from, said in every answer.
public sealed class MixEndpointTests
{
    // The answer's age is rounded to 0.01 and its interval ends too; the expected interval is recomputed from it.
    private const double Rounding = 0.02;

    [Theory]
    [InlineData(null, LabelMix.Natural)]
    [InlineData("natural", LabelMix.Natural)]
    [InlineData("balanced", LabelMix.Balanced)]
    public async Task EstimateAge_Mix_IntervalComesFromThatMixsTable(string? mix, string expected)
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var answer = await (await client.PostAsync(AgeUrl(mix), Multipart.Image(TestImages.Png()))).OkAsync<AgeResponse>();

        Assert.Equal(expected, answer.Interval.Mix);
        Assert.Null(answer.Interval.MixNote);
        var table = Fixtures.Card("age").Calibration.Resolve(expected).Calibration.Table;
        var interval = table.Interval(answer.Age, 0.9);
        Assert.Equal(interval.Lower, answer.Interval.Lower, Rounding);
        Assert.Equal(interval.Upper, answer.Interval.Upper, Rounding);
    }

    [Fact]
    public async Task EstimateAges_Batch_EveryAnswerSaysItsMix()
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var answers = await (await client.PostAsync("/v1/age/batch?mix=balanced&level=0.8", Multipart.Images([TestImages.Png(seed: 1), TestImages.Png(seed: 2)]))).OkAsync<AgeResponse[]>();

        Assert.Equal(2, answers.Length);
        Assert.All(answers, answer => Assert.Equal((LabelMix.Balanced, 0.8), (answer.Interval.Mix, answer.Interval.Level)));
    }

    [Theory]
    [InlineData("/v1/age?mix=uniform")]
    [InlineData("/v1/age?mix=Natural")]
    [InlineData("/v1/age/batch?mix=train")]
    [InlineData("/v1/depth?mix=uniform")]
    public async Task Estimate_UnknownMix_Answers400NamingTheChoices(string url)
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var problem = await (await client.PostAsync(url, Multipart.Image(TestImages.Png(64, 48)))).ProblemAsync(400);

        Assert.StartsWith("mix must be natural or balanced (got '", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("natural")]
    public async Task EstimateAge_Schema1Card_AnswersWithTheBalancedIntervalAndSaysWhy(string? mix)
    {
        await using var app = new ApiApplication(Fixtures.Schema1Repository);
        using var client = await app.StartReadyAsync();

        var answer = await (await client.PostAsync(AgeUrl(mix), Multipart.Image(TestImages.Png()))).OkAsync<AgeResponse>();

        Assert.Equal(LabelMix.Balanced, answer.Interval.Mix);
        Assert.Contains("no natural-mix calibration", answer.Interval.MixNote, StringComparison.Ordinal);
        Assert.Contains("schema 2", answer.Interval.MixNote, StringComparison.Ordinal);
        var table = Fixtures.Card("age", Fixtures.Schema1Repository).Calibration.Balanced.Table;
        Assert.Equal(CalibrationKeys.Prediction, table.Options.KeyedBy);
        var interval = table.Interval(answer.Age, 0.9);
        Assert.Equal((interval.Lower, interval.Upper), (answer.Interval.Lower, answer.Interval.Upper), (a, b) => Math.Abs(a.Item1 - b.Item1) <= Rounding && Math.Abs(a.Item2 - b.Item2) <= Rounding);
    }

    [Fact]
    public async Task EstimateAge_Schema1CardAskedForBalanced_NoNote()
    {
        await using var app = new ApiApplication(Fixtures.Schema1Repository);
        using var client = await app.StartReadyAsync();

        var answer = await (await client.PostAsync(AgeUrl(LabelMix.Balanced), Multipart.Image(TestImages.Png()))).OkAsync<AgeResponse>();

        Assert.Equal((LabelMix.Balanced, null), (answer.Interval.Mix, answer.Interval.MixNote));
    }

    [Theory]
    [InlineData(null, LabelMix.Natural)]
    [InlineData("balanced", LabelMix.Balanced)]
    public async Task EstimateDepth_Mix_UncertaintyMapIsThatMixsHalfWidths(string? mix, string expected)
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        var url = mix is null ? "/v1/depth" : $"/v1/depth?mix={mix}";

        var answer = await (await client.PostAsync(url, Multipart.Image(TestImages.Jpeg(64, 48)))).OkAsync<DepthResponse>();

        Assert.Equal((expected, null), (answer.Mix, answer.MixNote));
        var depth = Floats(answer.Depth);
        var expectedWidths = new float[depth.Length];
        Fixtures.Card("depth").Calibration.Resolve(expected).Calibration.Table.HalfWidths(depth, 0.9, expectedWidths);
        Assert.Equal(expectedWidths, Floats(answer.Uncertainty));
    }

    [Fact]
    public async Task EstimateDepth_BothMixes_DifferWhereTheTablesDo()
    {
        // The fixture's two depth tables are not the same, so neither can be serving both mixes.
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();
        var image = TestImages.Jpeg(64, 48);

        var natural = await (await client.PostAsync("/v1/depth?mix=natural", Multipart.Image(image))).OkAsync<DepthResponse>();
        var balanced = await (await client.PostAsync("/v1/depth?mix=balanced", Multipart.Image(image))).OkAsync<DepthResponse>();

        Assert.Equal(natural.Depth, balanced.Depth);
        Assert.NotEqual(natural.Uncertainty, balanced.Uncertainty);
    }

    [Fact]
    public async Task EstimateDepth_Schema1Card_AnswersWithTheBalancedMapAndSaysWhy()
    {
        await using var app = new ApiApplication(Fixtures.Schema1Repository);
        using var client = await app.StartReadyAsync();

        var answer = await (await client.PostAsync("/v1/depth?mix=natural", Multipart.Image(TestImages.Jpeg(64, 48)))).OkAsync<DepthResponse>();

        Assert.Equal(LabelMix.Balanced, answer.Mix);
        Assert.Contains("no natural-mix calibration", answer.MixNote, StringComparison.Ordinal);
        var depth = Floats(answer.Depth);
        var expected = new float[depth.Length];
        Fixtures.Card("depth", Fixtures.Schema1Repository).Calibration.Balanced.Table.HalfWidths(depth, 0.9, expected);
        Assert.Equal(expected, Floats(answer.Uncertainty));
    }

    private static string AgeUrl(string? mix) => mix is null ? "/v1/age" : $"/v1/age?mix={mix}";

    private static float[] Floats(string base64) => MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(base64)).ToArray();
}
