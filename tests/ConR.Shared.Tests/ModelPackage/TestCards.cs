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
        var counts = new long[121];
        for (var age = 0; age < counts.Length; age++)
        {
            counts[age] = age is >= 20 and <= 60 ? 150 : age % 30;
        }

        var histogram = LabelHistogram.FromCounts(counts, LabelBins.Age);
        var thresholds = new ShotThresholds();

        // Test only on labels and predictions below 60 so the upper ranges have no test samples: NaN coverage must
        // travel as null.
        var lower = Enumerable.Range(0, testP.Length).Where(i => testP[i] < 60 && testY[i] < 60).ToArray();
        var mixes = MixCalibrator.Fit(
            valP,
            valY,
            [.. lower.Select(i => testP[i])],
            [.. lower.Select(i => testY[i])],
            new LabelShots(histogram, thresholds),
            CalibrationOptions.Age,
            0,
            100);
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
            CalibrationCards.From(mixes, CalibrationWording.Age),
            Digest.ToUpperInvariant(),
            "42081ca",
            new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
    }

    /// <summary>The valid card as a mutable JSON tree.</summary>
    public static JsonObject AgeJson() => JsonNode.Parse(ModelCardSerializer.Serialize(Age()))!.AsObject();

    /// <summary>
    /// A schema-1 card exactly as the exporter wrote it before schema 2 (the API fixture age/1 of that time, committed
    /// next to this file): one calibration keyed by prediction, no per-shot coverage.
    /// </summary>
    public static string AgeSchema1Json() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ModelPackage", "schema1-age-card.json"));
}
