using ConR.Api.ModelsApi;
using ConR.Api.Tests.Support;
using ConR.Shared.Calibration;

namespace ConR.Api.Tests.Calibration;

// GET /v1/models/{name}: both label mixes' tables and coverage, and how a missing mix is answered.
public sealed class MixModelInfoTests
{
    [Theory]
    [InlineData("age")]
    [InlineData("depth")]
    public async Task GetModel_CurrentCard_ShowsBothMixesCoverageTablesAndTheScale(string name)
    {
        await using var app = new ApiApplication();
        using var client = await app.StartReadyAsync();

        var info = await (await client.GetAsync($"/v1/models/{name}")).OkAsync<ModelInfo>();

        var calibration = info.Loaded!.Calibration;
        var card = Fixtures.Card(name).Calibration;
        Assert.Equal(LabelMix.Natural, calibration.DefaultMix);
        Assert.Equal([LabelMix.Balanced, LabelMix.Natural], calibration.Mixes);
        Assert.Null(calibration.Note);

        Assert.Equal(CalibrationKeys.Label, calibration.Balanced.KeyedBy);
        Assert.False(calibration.Balanced.TestCoverage.ImportanceWeighted);
        Assert.Equal(card.Balanced.TestCoverage.Overall, calibration.Balanced.TestCoverage.Overall);
        Assert.Equal(["many", "median", "few"], calibration.Balanced.TestCoverage.Shots!.Select(s => s.Shot));
        Assert.NotNull(calibration.Balanced.TestCoverage.PredictedRanges);

        // Schema 3: the balanced table is normalised by the card's difficulty curve, which the answer shows as stored.
        Assert.Equal(card.Balanced.Table.Scale!.Values, calibration.Balanced.Scale!.Values);
        Assert.Contains("difficulty curve", calibration.Balanced.Method, StringComparison.Ordinal);

        var natural = calibration.Natural!;
        Assert.Equal(CalibrationKeys.Prediction, natural.KeyedBy);
        Assert.Null(natural.Scale);
        Assert.True(natural.TestCoverage.ImportanceWeighted);
        Assert.Equal(card.Natural!.TestCoverage.Overall, natural.TestCoverage.Overall);
        Assert.Equal(card.Natural.Table.Ranges.Select(r => r.EffectiveCount), natural.Ranges.Select(r => r.EffectiveCount));
        Assert.Contains("IMPORTANCE-WEIGHTED", natural.Method, StringComparison.Ordinal);
        Assert.Equal([0.8, 0.9, 0.95], natural.Levels);
    }

    [Fact]
    public async Task GetModel_Schema1Card_ShowsTheBalancedTableAndTheFallback()
    {
        await using var app = new ApiApplication(Fixtures.Schema1Repository);
        using var client = await app.StartReadyAsync();

        var info = await (await client.GetAsync("/v1/models/age")).OkAsync<ModelInfo>();

        var calibration = info.Loaded!.Calibration;
        Assert.Equal([LabelMix.Balanced], calibration.Mixes);
        Assert.Null(calibration.Natural);
        Assert.Contains("no natural-mix calibration", calibration.Note, StringComparison.Ordinal);
        Assert.Equal(CalibrationKeys.Prediction, calibration.Balanced.KeyedBy);
        Assert.NotEmpty(calibration.Balanced.TestCoverage.Ranges);
        Assert.Null(calibration.Balanced.TestCoverage.Shots);
        Assert.Null(calibration.Balanced.Scale);
    }
}
