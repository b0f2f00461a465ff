using System.Text.Json.Nodes;
using ConR.Shared.Calibration;
using ConR.Shared.Imbalance;
using ConR.Shared.Metrics;
using ConR.Shared.ModelPackage;

namespace ConR.Shared.Tests.ModelPackage;

public class CalibrationCardTests
{
    [Fact]
    public void Export_BothMixes_ResolveToThemselves()
    {
        var calibration = TestCards.Age().Calibration;

        Assert.Equal(LabelMix.Natural, calibration.Resolve(LabelMix.Natural).Mix);
        Assert.Same(calibration.Natural, calibration.Resolve(LabelMix.Natural).Calibration);
        Assert.Same(calibration.Balanced, calibration.Resolve(LabelMix.Balanced).Calibration);
        Assert.Equal([LabelMix.Balanced, LabelMix.Natural], calibration.Present().Select(p => p.Mix));
        Assert.Throws<ArgumentException>(() => calibration.Resolve("uniform"));
    }

    [Fact]
    public void Export_Card_StatesTheWeightingAndTheShots()
    {
        var calibration = TestCards.Age().Calibration;

        Assert.Equal(CalibrationKeys.Label, calibration.Balanced.Table.Options.KeyedBy);
        Assert.Equal(CalibrationKeys.Prediction, calibration.Natural!.Table.Options.KeyedBy);
        Assert.False(calibration.Balanced.TestCoverage.ImportanceWeighted);
        Assert.True(calibration.Natural.TestCoverage.ImportanceWeighted);
        Assert.Contains("IMPORTANCE-WEIGHTED", calibration.Natural.Method, StringComparison.Ordinal);
        Assert.Contains("TRUE label", calibration.Balanced.Method, StringComparison.Ordinal);
        Assert.All(calibration.Natural.Table.Ranges, range => Assert.NotNull(range.EffectiveCount));
        foreach (var (_, mix) in calibration.Present())
        {
            Assert.Equal(["many", "median", "few"], mix.TestCoverage.Shots!.Select(s => s.Shot));
            Assert.Contains("median half-width", mix.TargetNote, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Deserialize_NaturalWithOtherLevels_IsRefused()
    {
        var root = TestCards.AgeJson();
        root["calibration"]!["natural"]!["table"]!["options"]!["levels"] = new JsonArray(0.8, 0.9);
        foreach (var range in root["calibration"]!["natural"]!["table"]!["ranges"]!.AsArray())
        {
            range!["halfWidths"]!.AsObject().Remove("0.95");
        }

        var ex = Assert.Throws<ModelCardException>(() => ModelCardSerializer.Deserialize(root.ToJsonString(), "model.json"));

        Assert.Contains("calibration.natural.table.options.levels: must be the balanced table's levels", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_NaturalNull_IsAValidBalancedOnlyCard()
    {
        var root = TestCards.AgeJson();
        root["calibration"]!["natural"] = null;

        var card = ModelCardSerializer.Deserialize(root.ToJsonString(), "model.json");

        Assert.Null(card.Calibration.Natural);
    }

    [Fact]
    public void Deserialize_BadShotCoverage_NamesTheMixAndShot()
    {
        var root = TestCards.AgeJson();
        root["calibration"]!["natural"]!["testCoverage"]!["shots"]![2]!["coverage"]!["0.9"] = 2;
        root["calibration"]!["balanced"]!["testCoverage"]!["shots"]![0]!["shot"] = "rare";

        var ex = Assert.Throws<ModelCardException>(() => ModelCardSerializer.Deserialize(root.ToJsonString(), "model.json"));

        Assert.Contains("calibration.balanced.testCoverage.shots[0].shot: must be 'many', 'median' or 'few' (got 'rare')", ex.Message, StringComparison.Ordinal);
        Assert.Contains("calibration.natural.testCoverage.shots[2].coverage[\"0.9\"]: must be in [0, 1] (got 2)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_FittedOnAHeldOutCalibrationSplit_NamesItWhereTheMethodWouldSayVal()
    {
        var rng = new Random(1);
        double[] labels = [.. Enumerable.Range(0, 400).Select(_ => (double)rng.Next(1, 90))];
        double[] predictions = [.. labels.Select(y => y + rng.Next(-5, 6))];
        var shots = new LabelShots(LabelHistogram.FromLabels(labels, LabelBins.Age), new ShotThresholds());
        var mixes = MixCalibrator.Fit(predictions, labels, predictions, labels, shots, CalibrationOptions.Age, 0, 100);

        var onVal = CalibrationCards.From(mixes, CalibrationWording.Age);
        var onCalibration = CalibrationCards.From(mixes, CalibrationWording.Age with { FittedOn = "calibration" });

        Assert.Contains("fitted on the 400 val faces", onVal.Balanced.Method, StringComparison.Ordinal);
        Assert.Contains("p_train(y) / p_val(y)", onVal.Natural!.Method, StringComparison.Ordinal);
        Assert.Contains("fitted on the 400 calibration faces", onCalibration.Balanced.Method, StringComparison.Ordinal);
        Assert.Contains("each calibration residual is weighted by p_train(y) / p_calibration(y)", onCalibration.Natural!.Method, StringComparison.Ordinal);
        Assert.Contains("Calibration effective sample size", onCalibration.Natural.Method, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?i)\bval\b", onCalibration.Balanced.Method + onCalibration.Natural.Method);
    }
}
