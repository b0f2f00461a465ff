using System.Text.Json.Nodes;
using ConR.Shared.Calibration;
using ConR.Shared.ModelPackage;
using ConR.Tests.Common;

namespace ConR.Shared.Tests.ModelPackage;

public class Schema1CompatibilityTests
{
    [Fact]
    public void Deserialize_Schema1Card_ReadsItsCalibrationAsTheBalancedOne()
    {
        var json = TestCards.AgeSchema1Json();
        var file = JsonNode.Parse(json)!;
        Assert.Equal(1, (int)file["schemaVersion"]!);

        var card = ModelCardSerializer.Deserialize(json, "model.json");

        Assert.Equal(ModelCard.CurrentSchemaVersion, card.SchemaVersion);
        Assert.Null(card.Calibration.Natural);
        var balanced = card.Calibration.Balanced;
        Assert.Equal((string?)file["calibration"]!["method"], balanced.Method);
        Assert.Equal((bool)file["calibration"]!["targetMet"]!, balanced.TargetMet);
        Assert.Equal(CalibrationKeys.Prediction, balanced.Table.Options.KeyedBy);
        var ranges = file["calibration"]!["table"]!["ranges"]!.AsArray();
        Assert.Equal(ranges.Select(r => ((double)r!["from"]!, (double)r["halfWidths"]!["0.9"]!)), balanced.Table.Ranges.Select(r => (r.From, r.HalfWidths["0.9"])));
        Assert.All(balanced.Table.Ranges, range => Assert.Null(range.EffectiveCount));
        Assert.Null(balanced.TestCoverage.Shots);
        Assert.Null(balanced.TestCoverage.MedianHalfWidths);
        Assert.False(balanced.TestCoverage.ImportanceWeighted);
    }

    [Fact]
    public void Deserialize_Schema1Card_IntervalsAreThoseOfItsPredictionKeyedTable()
    {
        var card = ModelCardSerializer.Deserialize(TestCards.AgeSchema1Json(), "model.json");
        var table = card.Calibration.Balanced.Table;

        foreach (var prediction in new[] { 3.0, 27.5, 61.2 })
        {
            var interval = table.Interval(prediction, 0.9);
            var q = table.RangeFor(prediction).HalfWidths["0.9"];
            Assert.Equal(Math.Max(prediction - q, table.LabelMin), interval.Lower);
            Assert.Equal(Math.Min(prediction + q, table.LabelMax), interval.Upper);
        }
    }

    [Fact]
    public void Resolve_Schema1Card_NaturalFallsBackToBalanced()
    {
        var card = ModelCardSerializer.Deserialize(TestCards.AgeSchema1Json(), "model.json");

        var (calibration, mix) = card.Calibration.Resolve(LabelMix.Natural);

        Assert.Same(card.Calibration.Balanced, calibration);
        Assert.Equal(LabelMix.Balanced, mix);
        Assert.Equal([LabelMix.Balanced], card.Calibration.Present().Select(p => p.Mix));
    }

    [Fact]
    public void Serialize_UpgradedSchema1Card_WritesTheCurrentSchemaAndReadsBackTheSame()
    {
        var card = ModelCardSerializer.Deserialize(TestCards.AgeSchema1Json(), "model.json");

        var json = ModelCardSerializer.Serialize(card);
        var root = JsonNode.Parse(json)!;

        Assert.Equal(ModelCard.CurrentSchemaVersion, (int)root["schemaVersion"]!);
        Assert.NotNull(root["calibration"]!["balanced"]!["table"]);
        Assert.Null(root["calibration"]!["table"]);
        Assert.Equal(json, ModelCardSerializer.Serialize(ModelCardSerializer.Deserialize(json, "model.json")));
    }

    [Fact]
    public void Deserialize_Schema1CardMissingItsTable_NamesTheUpgradedPath()
    {
        var root = JsonNode.Parse(TestCards.AgeSchema1Json())!.AsObject();
        root["calibration"]!.AsObject().Remove("table");

        var ex = Assert.Throws<ModelCardException>(() => ModelCardSerializer.Deserialize(root.ToJsonString(), "model.json"));

        Assert.Equal("model.json: missing calibration.balanced.table", ex.Message);
    }

    [Fact]
    public void Deserialize_BundledPackages_AllLoad()
    {
        // The packages committed under models/ must keep loading unchanged: version 1 of each is schema 1 (balanced only),
        // version 2 its recalibration with both mixes (tools/recalibrate).
        var cards = Directory.GetFiles(Path.Combine(SourceTree.Root(), "models"), "model.json", SearchOption.AllDirectories);
        Assert.NotEmpty(cards);

        foreach (var path in cards)
        {
            var json = File.ReadAllText(path);
            var card = ModelCardSerializer.Deserialize(json, path);
            if ((int)JsonNode.Parse(json)!["schemaVersion"]! == 1)
            {
                Assert.Null(card.Calibration.Natural);
                Assert.Equal(LabelMix.Balanced, card.Calibration.Resolve(LabelMix.Natural).Mix);
            }
            else
            {
                Assert.NotNull(card.Calibration.Natural);
            }
        }
    }

    [Fact]
    public void BundledPackages_RunConfigurationsNameNoTrainingMachineFolder()
    {
        // Packages are copied to other machines and published: their run configurations keep names inside the data
        // set, never the trainer's absolute folders (the packagers and tools/recalibrate apply PortableRawConfig).
        foreach (var path in Directory.GetFiles(Path.Combine(SourceTree.Root(), "models"), "model.json", SearchOption.AllDirectories))
        {
            var raw = JsonNode.Parse(File.ReadAllText(path))!["training"]!["rawConfig"]!.AsObject();
            Assert.True(JsonNode.DeepEquals(PortableRawConfig.Of(raw), raw), $"{path}: {raw.ToJsonString()}");
        }
    }
}
