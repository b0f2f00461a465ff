using System.Text.Json.Nodes;
using ConR.Shared.Calibration;
using ConR.Shared.Imbalance;
using ConR.Shared.Metrics;
using ConR.Shared.ModelPackage;
using ConR.Shared.Preprocessing;
using ConR.Shared.Tests.Calibration;

namespace ConR.Shared.Tests.ModelPackage;

/// <summary>A complete, valid age card built from real calibration and metric code on synthetic data.</summary>
internal static class TestCards
{
    public const string Digest = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static ModelCard Age()
    {
        var (valP, valY, testP, testY) = HeteroscedasticData.ValTest();
        var table = ConformalCalibrator.Fit(valP, valY, CalibrationOptions.Age, 0, 100);

        // Test only on predictions below 60 so the upper ranges have no test samples: NaN coverage must travel as null.
        var lower = Enumerable.Range(0, testP.Length).Where(i => testP[i] < 60).ToArray();
        var coverage = CoverageEvaluator.Measure(table, [.. lower.Select(i => testP[i])], [.. lower.Select(i => testY[i])]);

        var counts = new long[121];
        for (var age = 0; age < counts.Length; age++)
        {
            counts[age] = age is >= 20 and <= 60 ? 150 : age % 30;
        }

        var histogram = LabelHistogram.FromCounts(counts, LabelBins.Age);
        var thresholds = new ShotThresholds();
        var dir = DirMetrics.Compute(testP[..500], testY[..500], histogram, thresholds);

        return new ModelCard(
            ModelCard.CurrentSchemaVersion,
            "age-resnet18-conr",
            3,
            ModelTasks.Age,
            ModelTasks.Years,
            InputSpecCard.FromImageSpec(ImageSpec.Age(64)),
            [new OutputSpecCard("age", [-1, 1], ModelTasks.Years)],
            new LabelRangeCard(0, 100),
            HistogramCard.From(histogram, thresholds, HistogramCard.Samples),
            new TrainingCard(
                "resnet18",
                0.5,
                64,
                "l1",
                new ConRCard(true, 1, 4, 0.07, 0.01),
                "sqrt_inv",
                true,
                10,
                8,
                1,
                "bf16",
                1234.5,
                new JsonObject { ["epochs"] = 10, ["learningRate"] = 0.001, ["schedule"] = "cosine" }),
            new DataSetCard("UTKFace", "utkface_split.csv", Digest, DataSetCard.UtkFaceLicence),
            new MetricsCard(dir, dir with { Few = ErrorSummary.Empty }, null),
            RangeErrors.Compute(valP[..500], valY[..500], 5, 0),
            new CalibrationCard(
                "split-conformal, Mondrian by 5-year prediction range, fitted on val",
                table,
                coverage,
                coverage.MeetsTarget(0.9, 0.02, 0.85, 30),
                "0.9 intervals: 88-92% overall, >= 85% in every range with >= 30 test samples"),
            Digest.ToUpperInvariant(),
            "42081ca",
            new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
    }

    /// <summary>The valid card as a mutable JSON tree.</summary>
    public static JsonObject AgeJson() => JsonNode.Parse(ModelCardSerializer.Serialize(Age()))!.AsObject();
}
