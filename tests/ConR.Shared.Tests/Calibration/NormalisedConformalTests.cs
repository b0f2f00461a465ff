using ConR.Shared.Calibration;
using ConR.Shared.ModelPackage;
using ConR.Shared.Tests.ModelPackage;
using Xunit.Abstractions;

namespace ConR.Shared.Tests.Calibration;

/// <summary>Label-keyed tables normalised by a <see cref="LabelScale"/> (card schema 3).</summary>
public class NormalisedConformalTests(ITestOutputHelper output)
{
    private static readonly CalibrationOptions Plain = new(5, 0, [0.9], KeyedBy: CalibrationKeys.Label);

    [Fact]
    public void Fit_Scale_IsTheKernelSmoothedMeanAbsoluteResidualPerCell()
    {
        // Label 10: residuals 2 and 2; label 11: residual 4. Bandwidth 1 cell: the neighbour weighs exp(-1/2).
        double[] labels = [10, 10, 11];
        double[] predictions = [12, 8, 7];

        var table = ConformalCalibrator.Fit(predictions, labels, Plain with { ScaleBandwidth = 1 }, 0, 100);

        var k = Math.Exp(-0.5);
        var scale = Assert.IsType<LabelScale>(table.Scale);
        Assert.Equal((9.5, 1.0, 1.0), (scale.From, scale.Step, scale.Bandwidth));
        Assert.Equal(2, scale.Values.Count);
        Assert.Equal((4 + (4 * k)) / (2 + k), scale.Values[0], 12);
        Assert.Equal(((4 * k) + 4) / ((2 * k) + 1), scale.Values[1], 12);

        // The range's q is the conformal quantile of the normalised scores |y − ŷ| / s(y) (n = 3 at 0.9: the largest).
        var scores = labels.Select((y, i) => Math.Abs(y - predictions[i]) / scale.At(y));
        Assert.Equal(scores.Max(), table.Ranges.Single().HalfWidths["0.9"], 12);
    }

    [Fact]
    public void Fit_WithoutBandwidthOrKeyedByPrediction_HasNoScale()
    {
        var (p, y) = Data(seed: 1);

        Assert.Null(ConformalCalibrator.Fit(p, y, Plain, 0, 100).Scale);
        var byPrediction = ConformalCalibrator.Fit(p, y, CalibrationOptions.Age, 0, 100);
        Assert.Null(byPrediction.Scale);
        Assert.Null(byPrediction.Options.ScaleBandwidth);
        Assert.Equal(2, ConformalCalibrator.Fit(p, y, CalibrationOptions.Age.KeyedOn(CalibrationKeys.Label), 0, 100).Scale!.Bandwidth);
    }

    [Theory]
    [InlineData(2, 0, 8)] // y < 4.5 allows 2: [0, 4]; y >= 4.5 allows 6: [4.5, 8]
    [InlineData(12, 6, 18)] // only y >= 4.5 reaches: [6, 18]
    [InlineData(-3, 0, 0)] // no label is consistent ([-5, -1] below 4.5, [-9, 3] above it): the clamped prediction
    public void Interval_Scaled_EachLabelAllowsQTimesItsScale(double prediction, double lower, double upper)
    {
        // One range [0, 10) with q = 2; s = 1 for labels below 4.5 and 3 from 4.5 on (the last cell reaches to infinity).
        var table = new CalibrationTable(
            Plain,
            [new CalibrationRange(0, 10, 100, new Dictionary<string, double> { ["0.9"] = 2 }, 1, false)],
            0,
            100,
            new LabelScale(-0.5, 1, 1, [1, 1, 1, 1, 1, 3]));

        var interval = table.Interval(prediction, 0.9);

        Assert.Equal((lower, upper), (interval.Lower, interval.Upper));
    }

    [Fact]
    public void Measure_OneHardLabelInsideARange_ScaledCoversIt()
    {
        // Age 52 is four times as hard to predict as every other age: one q for [50, 55) is set by the four easy ages.
        var (valP, valY) = Data(seed: 1);
        var (testP, testY) = Data(seed: 2);
        var plain = ConformalCalibrator.Fit(valP, valY, Plain, 0, 100);

        // A bandwidth of a quarter cell: each age's scale is its own (a wider kernel blurs a one-age structure away).
        var scaled = ConformalCalibrator.Fit(valP, valY, Plain with { ScaleBandwidth = 0.25 }, 0, 100);

        var plainHard = HardCoverage(plain, testP, testY);
        var scaledHard = HardCoverage(scaled, testP, testY);
        var report = CoverageEvaluator.Measure(scaled, testP, testY);
        output.WriteLine($"age {HardAge}: plain {plainHard:F3}, scaled {scaledHard:F3}; scaled overall {report.Overall["0.9"]:F3}");

        Assert.True(plainHard < 0.75, $"plain covers age {HardAge} {plainHard:F3}");
        Assert.InRange(scaledHard, 0.85, 0.97);
        Assert.InRange(report.Overall["0.9"], 0.88, 0.94);
        Assert.All(report.Ranges, r => Assert.True(r.Coverage["0.9"] >= 0.85, $"[{r.From}, {r.To}): {r.Coverage["0.9"]:F3}"));
    }

    [Fact]
    public void Validate_ScaleProblems_AreNamed()
    {
        var range = new CalibrationRange(0, 10, 100, new Dictionary<string, double> { ["0.9"] = 2 }, 1, false);

        var onPrediction = new CalibrationTable(Plain.KeyedOn(CalibrationKeys.Prediction), [range], 0, 100, new LabelScale(0, 1, 1, [1.0]));
        var zero = new CalibrationTable(Plain, [range], 0, 100, new LabelScale(0, 1, 1, [1.0, 0.0]));
        var badStep = new CalibrationTable(Plain, [range], 0, 100, new LabelScale(0, 0, 1, [1.0]));

        Assert.Contains("scale: only a table keyed by label is normalised", onPrediction.Validate());
        Assert.Contains("scale.values[1]: must be positive and finite (got 0)", zero.Validate());
        Assert.Contains("scale: from must be finite and step positive and finite (got 0 and 0)", badStep.Validate());
        Assert.Contains("scaleBandwidth: must be positive and finite (got -1)", (Plain with { ScaleBandwidth = -1 }).Validate());
    }

    [Fact]
    public void Validate_ScaleDisagreeingWithItsOptions_IsNamed()
    {
        var (p, y) = Data(seed: 1);
        var fitted = ConformalCalibrator.Fit(p, y, CalibrationOptions.Age.KeyedOn(CalibrationKeys.Label), 0, 100);
        Assert.Empty(fitted.Validate());

        var otherBandwidth = fitted with { Scale = fitted.Scale! with { Bandwidth = 3 } };
        var noBandwidth = fitted with { Options = fitted.Options with { ScaleBandwidth = null } };
        var otherStep = fitted with { Scale = fitted.Scale! with { Step = 2 } };
        var noScale = fitted with { Scale = null };
        var byPrediction = fitted with { Options = fitted.Options with { KeyedBy = CalibrationKeys.Prediction }, Scale = null };

        Assert.Contains("scale.bandwidth: must equal options.scaleBandwidth (got 3 and 2)", otherBandwidth.Validate());
        Assert.Contains("scale.bandwidth: must equal options.scaleBandwidth (got 2 and nothing)", noBandwidth.Validate());
        Assert.Contains("scale.step: must be rangeWidth / 5 = 1 (got 2)", otherStep.Validate());
        Assert.Contains("scale: missing, but options.scaleBandwidth says the table is normalised", noScale.Validate());
        Assert.Contains("options.scaleBandwidth: only a table keyed by label is normalised", byPrediction.Validate());
    }

    [Fact]
    public void Card_ScaledTable_RoundTripsAndASchema2CardLoadsUnscaled()
    {
        var (p, y) = Data(seed: 1);
        var card = TestCards.Age();
        var fitted = ConformalCalibrator.Fit(p, y, CalibrationOptions.Age.KeyedOn(CalibrationKeys.Label), 0, 100);
        var scaled = card with { Calibration = card.Calibration with { Balanced = card.Calibration.Balanced with { Table = fitted } } };

        var back = ModelCardSerializer.Deserialize(ModelCardSerializer.Serialize(scaled), "model.json");

        Assert.Equal(fitted.Scale!.Values, back.Calibration.Balanced.Table.Scale!.Values);
        Assert.Equal(fitted.Interval(37.3, 0.9), back.Calibration.Balanced.Table.Interval(37.3, 0.9));

        var schema2 = TestCards.AgeJson();
        schema2["schemaVersion"] = 2;
        // What schema 2 wrote: no scale, and no bandwidth in the options either.
        schema2["calibration"]!["balanced"]!["table"]!.AsObject().Remove("scale");
        schema2["calibration"]!["balanced"]!["table"]!["options"]!.AsObject().Remove("scaleBandwidth");
        var old = ModelCardSerializer.Deserialize(schema2.ToJsonString(), "model.json");
        Assert.Equal(ModelCard.CurrentSchemaVersion, old.SchemaVersion);
        Assert.Null(old.Calibration.Balanced.Table.Scale);
    }

    private const double HardAge = 52;

    // Ages 0-99, 200 of each; ŷ = y + N(0, σ) with σ = 4 for age 52 and 1 for every other age.
    private static (double[] Predictions, double[] Labels) Data(int seed)
    {
        var random = new Random(seed);
        var labels = Enumerable.Range(0, 100).SelectMany(age => Enumerable.Repeat((double)age, 200)).ToArray();
        var predictions = labels.Select(y => y + (Gaussian(random) * (y == HardAge ? 4 : 1))).ToArray();
        return (predictions, labels);
    }

    private static double HardCoverage(CalibrationTable table, double[] predictions, double[] labels)
    {
        int count = 0, inside = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] == HardAge)
            {
                var interval = table.Interval(predictions[i], 0.9);
                count++;
                inside += labels[i] >= interval.Lower && labels[i] <= interval.Upper ? 1 : 0;
            }
        }

        return (double)inside / count;
    }

    // Box–Muller; 1 − U avoids log(0).
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
