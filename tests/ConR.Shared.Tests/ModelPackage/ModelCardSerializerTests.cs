using System.Text.Json.Nodes;
using ConR.Shared.ModelPackage;

namespace ConR.Shared.Tests.ModelPackage;

public class ModelCardSerializerTests
{
    [Fact]
    public void Validate_CompleteCard_HasNoProblems()
    {
        Assert.Empty(TestCards.Age().Validate());
    }

    [Fact]
    public void Serialize_ThenDeserialize_RoundTripsToIdenticalJson()
    {
        var json = ModelCardSerializer.Serialize(TestCards.Age());

        var back = ModelCardSerializer.Deserialize(json, "model.json");

        Assert.Equal(json, ModelCardSerializer.Serialize(back));
        Assert.Equal(ModelTasks.Age, back.Task);
        Assert.Equal(0.5f, back.Input.Std[2]);
        Assert.Equal("cosine", (string?)back.Training.RawConfig["schedule"]);
        Assert.True(double.IsNaN(back.Metrics.Test!.Few.Mae));
    }

    [Fact]
    public void Serialize_Card_WritesCamelCaseLevelKeysAndNullForNaN()
    {
        var root = TestCards.AgeJson();

        Assert.Equal(ModelCard.CurrentSchemaVersion, (int)root["schemaVersion"]!);
        Assert.Equal("NCHW", (string?)root["input"]!["layout"]);
        Assert.Equal("many", (string?)root["trainHistogram"]!["shots"]![30]);
        var firstRange = root["calibration"]!["balanced"]!["table"]!["ranges"]![0]!;
        Assert.NotNull(firstRange["halfWidths"]!["0.9"]);
        Assert.NotNull(firstRange["mergedFrom"]);
        Assert.Equal("label", (string?)root["calibration"]!["balanced"]!["table"]!["options"]!["keyedBy"]);
        Assert.Equal("prediction", (string?)root["calibration"]!["natural"]!["table"]!["options"]!["keyedBy"]);
        var coverages = root["calibration"]!["balanced"]!["testCoverage"]!["ranges"]!.AsArray();
        Assert.Contains(coverages, range => (int)range!["count"]! == 0 && range["coverage"]!["0.9"] is null);
        Assert.Null(root["metrics"]!["test"]!["few"]!["mae"]);
    }

    [Fact]
    public void Deserialize_NaNCoverageAsNull_ReadsBackNaN()
    {
        var card = ModelCardSerializer.Deserialize(TestCards.AgeJson().ToJsonString(), "model.json");

        Assert.Contains(card.Calibration.Balanced.TestCoverage.Ranges, range => range.Count == 0 && double.IsNaN(range.Coverage["0.9"]));
    }

    [Fact]
    public void Deserialize_MissingFields_ListsThemAll()
    {
        var root = TestCards.AgeJson();
        root["input"]!.AsObject().Remove("mean");
        root["outputs"]![0]!.AsObject().Remove("shape");
        root["calibration"]!["balanced"]!["table"]!.AsObject().Remove("ranges");
        root.Remove("gitCommit");

        var ex = Assert.Throws<ModelCardException>(() => ModelCardSerializer.Deserialize(root.ToJsonString(), "model.json"));

        Assert.Equal("model.json: missing input.mean, outputs[0].shape, calibration.balanced.table.ranges, gitCommit", ex.Message);
        Assert.Equal(4, ex.Problems.Count);
        Assert.Equal("model.json", ex.SourceName);
    }

    [Fact]
    public void Deserialize_NullRequiredField_CountsAsMissing()
    {
        var root = TestCards.AgeJson();
        root["labelRange"]!["min"] = null;
        root["dataSet"]!["licence"] = null;

        var ex = Assert.Throws<ModelCardException>(() => ModelCardSerializer.Deserialize(root.ToJsonString(), "model.json"));

        Assert.Equal("model.json: missing labelRange.min, dataSet.licence", ex.Message);
    }

    [Fact]
    public void Deserialize_OptionalMetricsAbsent_IsValid()
    {
        var root = TestCards.AgeJson();
        root["metrics"]!.AsObject().Remove("val");
        root["metrics"]!.AsObject().Remove("extra");

        var card = ModelCardSerializer.Deserialize(root.ToJsonString(), "model.json");

        Assert.Null(card.Metrics.Val);
    }

    [Theory]
    [InlineData(4, "model.json: unsupported schemaVersion 4: newer than 3, the newest version this code reads; update the serving code")]
    [InlineData(0, "model.json: unsupported schemaVersion 0: older than 1, the oldest version this code reads; re-export the package")]
    public void Deserialize_OtherSchemaVersion_NamesOlderOrNewer(int version, string expected)
    {
        var root = TestCards.AgeJson();
        root["schemaVersion"] = version;

        // A future card may look entirely different: the version check comes before any other.
        root.Remove("input");

        var ex = Assert.Throws<ModelCardException>(() => ModelCardSerializer.Deserialize(root.ToJsonString(), "model.json"));

        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void Deserialize_NoSchemaVersion_SaysSo()
    {
        var root = TestCards.AgeJson();
        root.Remove("schemaVersion");

        var ex = Assert.Throws<ModelCardException>(() => ModelCardSerializer.Deserialize(root.ToJsonString(), "pkg/model.json"));

        Assert.Equal("pkg/model.json: missing schemaVersion", ex.Message);
    }

    [Fact]
    public void Deserialize_NotJson_SaysSo()
    {
        var ex = Assert.Throws<ModelCardException>(() => ModelCardSerializer.Deserialize("{ \"schemaVersion\": 1,", "model.json"));

        Assert.StartsWith("model.json: not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_WrongValueType_NamesTheField()
    {
        var root = TestCards.AgeJson();
        root["input"]!["width"] = "sixty-four";

        var ex = Assert.Throws<ModelCardException>(() => ModelCardSerializer.Deserialize(root.ToJsonString(), "model.json"));

        Assert.StartsWith("model.json: input.width: wrong JSON type", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_InvalidCard_ThrowsInsteadOfWriting()
    {
        var card = TestCards.Age() with { OnnxSha256 = "abc" };

        var ex = Assert.Throws<ModelCardException>(() => ModelCardSerializer.Serialize(card));

        Assert.Contains("onnxSha256: must be a SHA-256 of 64 hex characters (got 'abc')", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NullMembers_ReportsMissingWithoutThrowing()
    {
        var card = TestCards.Age() with { Input = null!, Calibration = null!, Outputs = null!, Name = null! };

        var problems = card.Validate();

        Assert.Equal(new[] { "name: missing", "input: missing", "outputs: missing", "calibration: missing" }, problems);
    }

    [Fact]
    public void Deserialize_CalibrationRangeWithoutLevelKey_NamesRangeAndLevel()
    {
        var root = TestCards.AgeJson();
        root["calibration"]!["balanced"]!["table"]!["ranges"]![2]!["halfWidths"]!.AsObject().Remove("0.95");

        var ex = Assert.Throws<ModelCardException>(() => ModelCardSerializer.Deserialize(root.ToJsonString(), "model.json"));

        Assert.Equal("model.json: invalid model card: calibration.balanced.table.ranges[2].halfWidths: missing level 0.95", ex.Message);
    }

    [Fact]
    public void RoundTrip_JsonObjectMembers_SurviveRepeatedSerialisation()
    {
        var card = TestCards.Age() with
        {
            Metrics = TestCards.Age().Metrics with { Extra = new JsonObject { ["delta1"] = 0.81 } },
        };

        var once = ModelCardSerializer.Serialize(card);
        var twice = ModelCardSerializer.Serialize(ModelCardSerializer.Deserialize(once, "model.json"));

        Assert.Equal(once, twice);
        Assert.Contains("\"delta1\": 0.81", once, StringComparison.Ordinal);
    }
}
