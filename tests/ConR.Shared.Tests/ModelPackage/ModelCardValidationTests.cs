using System.Text.Json.Nodes;
using ConR.Shared.ModelPackage;

namespace ConR.Shared.Tests.ModelPackage;

public class ModelCardValidationTests
{
    public static TheoryData<string, string> BadCards => new()
    {
        { "mean-two-values", "input.mean: must have 3 values (R, G, B), got 2" },
        { "std-zero", "input.std[1]: must be > 0 and finite (got 0)" },
        { "width-zero", "input.width/height: must be positive (got 0x64)" },
        { "layout-nhwc", "input.layout: only 'NCHW' is supported (got 'NHWC')" },
        { "shots-short", "trainHistogram.shots: has 120 entries for 121 counts" },
        { "shot-inconsistent", "trainHistogram.shots[30]: is 'few' but count 150 is 'many' under thresholds many > 100, few < 20" },
        { "shot-unknown", "trainHistogram.shots[0]: must be 'many', 'median' or 'few' (got 'lots')" },
        { "threshold-unit", "trainHistogram.thresholdUnit: must be 'samples' or 'pixels' (got 'images')" },
        { "ranges-overlap", "calibration.balanced.table.ranges[1]: overlaps or is not after ranges[0]" },
        { "ranges-unsorted", "calibration.balanced.table.ranges[1]: overlaps or is not after ranges[0]" },
        { "half-width-negative", "calibration.balanced.table.ranges[0].halfWidths[\"0.9\"]: must be non-negative and finite (got -1)" },
        { "half-width-level-missing", "calibration.balanced.table.ranges[0].halfWidths: missing level 0.8" },
        { "calibration-label-range", "calibration.balanced.table: label range [0, 100] differs from labelRange [0, 90]" },
        { "label-min-max", "labelRange: min must be below max, both finite (got 100 and 100)" },
        { "units-mismatch", "units: task 'age' must be in 'years' (got 'metres')" },
        { "task-unknown", "task: must be 'age' or 'depth' (got 'height')" },
        { "outputs-empty", "outputs: must list at least one output" },
        { "output-shape", "outputs[0].shape: needs at least one dimension, each -1 (dynamic) or positive (got [-1, 0])" },
        { "onnx-sha", "onnxSha256: must be a SHA-256 of 64 hex characters (got 'xyz')" },
        { "split-sha", "dataSet.splitSha256: must be a SHA-256 of 64 hex characters (got '" },
        { "best-epoch", "training.epochs/bestEpoch: need epochs >= 1 and 0 <= bestEpoch <= epochs (got 10 and 11)" },
        { "coverage-fraction", "calibration.balanced.testCoverage.overall[\"0.9\"]: must be in [0, 1] (got 1.5)" },
        { "empty-name", "name: must not be empty" },
    };

    [Theory]
    [MemberData(nameof(BadCards))]
    public void Deserialize_BadCard_MessageNamesTheField(string mutation, string expected)
    {
        var root = TestCards.AgeJson();
        Mutate(root, mutation);

        var ex = Assert.Throws<ModelCardException>(() => ModelCardSerializer.Deserialize(root.ToJsonString(), "model.json"));

        Assert.StartsWith("model.json: invalid model card: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains(ex.Problems, problem => expected.StartsWith(problem, StringComparison.Ordinal) || problem.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Deserialize_SeveralProblems_ListsEveryOne()
    {
        var root = TestCards.AgeJson();
        Mutate(root, "std-zero");
        Mutate(root, "units-mismatch");
        Mutate(root, "onnx-sha");

        var ex = Assert.Throws<ModelCardException>(() => ModelCardSerializer.Deserialize(root.ToJsonString(), "model.json"));

        Assert.Equal(3, ex.Problems.Count);
        Assert.Equal(
            "model.json: invalid model card: units: task 'age' must be in 'years' (got 'metres'); "
            + "input.std[1]: must be > 0 and finite (got 0); onnxSha256: must be a SHA-256 of 64 hex characters (got 'xyz')",
            ex.Message);
    }

    private static void Mutate(JsonObject root, string mutation)
    {
        var input = root["input"]!.AsObject();
        var histogram = root["trainHistogram"]!.AsObject();
        var table = root["calibration"]!["balanced"]!["table"]!.AsObject();
        var ranges = table["ranges"]!.AsArray();
        switch (mutation)
        {
            case "mean-two-values":
                input["mean"] = new JsonArray(0.5, 0.5);
                break;
            case "std-zero":
                input["std"]![1] = 0;
                break;
            case "width-zero":
                input["width"] = 0;
                break;
            case "layout-nhwc":
                input["layout"] = "NHWC";
                break;
            case "shots-short":
                histogram["shots"]!.AsArray().RemoveAt(120);
                break;
            case "shot-inconsistent":
                histogram["shots"]![30] = "few";
                break;
            case "shot-unknown":
                histogram["shots"]![0] = "lots";
                break;
            case "threshold-unit":
                histogram["thresholdUnit"] = "images";
                break;
            case "ranges-overlap":
                ranges[1]!["from"] = ranges[0]!["from"]!.DeepClone();
                break;
            case "ranges-unsorted":
                var first = ranges[0]!;
                ranges.RemoveAt(0);
                ranges.Insert(1, first);
                break;
            case "half-width-negative":
                ranges[0]!["halfWidths"]!["0.9"] = -1;
                break;
            case "half-width-level-missing":
                ranges[0]!["halfWidths"]!.AsObject().Remove("0.8");
                break;
            case "calibration-label-range":
                root["labelRange"]!["max"] = 90;
                break;
            case "label-min-max":
                root["labelRange"]!["min"] = 100;
                table["labelMin"] = 100;
                root["calibration"]!["natural"]!["table"]!["labelMin"] = 100;
                break;
            case "units-mismatch":
                root["units"] = "metres";
                break;
            case "task-unknown":
                root["task"] = "height";
                break;
            case "outputs-empty":
                root["outputs"] = new JsonArray();
                break;
            case "output-shape":
                root["outputs"]![0]!["shape"] = new JsonArray(-1, 0);
                break;
            case "onnx-sha":
                root["onnxSha256"] = "xyz";
                break;
            case "split-sha":
                root["dataSet"]!["splitSha256"] = TestCards.Digest[..63] + "g";
                break;
            case "best-epoch":
                root["training"]!["bestEpoch"] = 11;
                break;
            case "coverage-fraction":
                root["calibration"]!["balanced"]!["testCoverage"]!["overall"]!["0.9"] = 1.5;
                break;
            case "empty-name":
                root["name"] = " ";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mutation), mutation, "Unknown mutation.");
        }
    }
}
