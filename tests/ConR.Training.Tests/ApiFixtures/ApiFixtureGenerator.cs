using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ConR.Shared.Imbalance;
using ConR.Shared.Metrics;
using ConR.Shared.Metrics.Depth;
using ConR.Shared.ModelPackage;
using ConR.Shared.Preprocessing;
using ConR.Training.Age;
using ConR.Training.Age.Data;
using ConR.Training.Age.Export;
using ConR.Training.Depth.Export;
using ConR.Training.Engine;
using ConR.Training.Export;
using ConR.Training.Tests.Age;
using ConR.Training.Tests.Export;
using Google.Protobuf;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace ConR.Training.Tests.ApiFixtures;

/// <summary>
/// The tiny model packages the API tests serve (tests/ConR.Api.Tests/Fixtures/models/{age,depth}/1), committed so the
/// API tests need neither TorchSharp nor ../shared. Normally this test only checks them: each card deserializes,
/// its digest matches model.onnx, and ONNX Runtime runs the graph with the card's shapes. With
/// CONR_REGENERATE_API_FIXTURES=1 it first rewrites them: the age package is a real export of a tiny trained
/// AgeRegressor; the depth package is a two-convolution graph with a card calibrated on synthetic per-pixel data, both
/// with the current card schema (both label mixes). The schema-1 packages in Fixtures/models-schema1 are the fixtures as
/// they were before schema 2, kept byte for byte to test that old packages still serve; they are only checked, never
/// rewritten.
/// </summary>
[Collection(SeededTorchRuns.Name)]
public sealed class ApiFixtureGenerator
{
    public const string RegenerateVariable = "CONR_REGENERATE_API_FIXTURES";
    private const int DepthWidth = 32, DepthHeight = 24;
    private const long MaxPackageBytes = 1024 * 1024;

    [Fact]
    public void ApiFixtures_CommittedPackages_LoadAndMatchTheirCards()
    {
        var root = FixtureRoot();
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            WriteAge(Path.Combine(root, "age", "1"));
            WriteDepth(Path.Combine(root, "depth", "1"));
        }

        Verify(Path.Combine(root, "age", "1"), ModelTasks.Age, ModelCard.CurrentSchemaVersion);
        Verify(Path.Combine(root, "depth", "1"), ModelTasks.Depth, ModelCard.CurrentSchemaVersion);
        var schema1 = Path.Combine(Path.GetDirectoryName(root)!, Schema1Folder);
        Verify(Path.Combine(schema1, "age", "1"), ModelTasks.Age, 1);
        Verify(Path.Combine(schema1, "depth", "1"), ModelTasks.Depth, 1);
    }

    private const string Schema1Folder = "models-schema1";

    private static void Verify(string folder, string task, int schemaVersion)
    {
        var onnxPath = Path.Combine(folder, ModelRepository.OnnxFile);
        var cardPath = Path.Combine(folder, ModelRepository.CardFile);
        Assert.True(File.Exists(onnxPath) && File.Exists(cardPath), $"{folder} is missing; run this test with {RegenerateVariable}=1.");
        var json = File.ReadAllText(cardPath);
        Assert.Equal(schemaVersion, (int)JsonNode.Parse(json)!["schemaVersion"]!);
        var card = ModelCardSerializer.Deserialize(json, cardPath);
        Assert.Equal(task, card.Task);
        Assert.Equal(schemaVersion >= 2, card.Calibration.Natural is not null);
        Assert.Equal(Sha256File.Of(onnxPath), card.OnnxSha256);
        Assert.True(new FileInfo(onnxPath).Length + new FileInfo(cardPath).Length < MaxPackageBytes, $"{folder} is over 1 MB");

        // The graph runs with the card's input at batch 2 and answers the card's output shape.
        var input = new float[2 * 3 * card.Input.Height * card.Input.Width];
        var (values, shape) = ExportTestSupport.RunOnnx(File.ReadAllBytes(onnxPath), card.Input.Name, input, [2, 3, card.Input.Height, card.Input.Width], card.Outputs[0].Name);
        Assert.Equal([2L, .. card.Outputs[0].Shape.Skip(1).Select(d => (long)d)], shape);
        Assert.All(values, v => Assert.True(float.IsFinite(v)));
    }

    private static void WriteAge(string folder)
    {
        using var data = new TinyAgeDataSet(train: 96, val: 60, test: 60);
        var config = data.Config(epochs: 2);
        var runDir = data.NewRunDir();
        Directory.CreateDirectory(runDir);
        RunDirectory.WriteJsonAtomic(Path.Combine(runDir, "config.json"), config);
        new AgeTrainer(config, new RunDirectory(runDir), CPU, TextWriter.Null).Train(AgeData.Load(config, TextWriter.Null), resume: false);
        var exported = AgeModelPackager.Export(runDir, new ModelRepository(Path.Combine(data.Root, "models")), "age", 1, CPU, TextWriter.Null);

        // The export names the temporary data folder; say what the data really was.
        var card = ModelCardSerializer.Deserialize(File.ReadAllText(Path.Combine(exported, ModelRepository.CardFile)), "exported age card");
        card = card with
        {
            Name = "age",
            DataSet = new DataSetCard("synthetic-tiny-faces", "tiny.csv", card.DataSet.SplitSha256, "generated by ApiFixtureGenerator; test fixture only"),
        };
        WritePackage(folder, File.ReadAllBytes(Path.Combine(exported, ModelRepository.OnnxFile)), card);
    }

    private static void WriteDepth(string folder)
    {
        var onnx = DepthGraph();
        var spec = new ImageSpec(DepthWidth, DepthHeight, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);
        var rng = new Random(11);
        var (valPredictions, valLabels) = SyntheticPixels(onnx, spec, rng, images: 24);
        var (testPredictions, testLabels) = SyntheticPixels(onnx, spec, rng, images: 24);
        var (_, trainLabels) = SyntheticPixels(onnx, spec, rng, images: 48);

        const double labelMin = DepthModelPackager.LabelMin, labelMax = DepthModelPackager.LabelMax;
        var histogram = LabelHistogram.FromLabels(trainLabels.Select(v => (double)v), new LabelBins(0.1, 100, 0));
        var thresholds = new ShotThresholds(DepthShots.NyuManyFraction * histogram.Total, DepthShots.NyuFewFraction * histogram.Total);
        var histogramCard = HistogramCard.From(histogram, thresholds, HistogramCard.Pixels);
        var errors = testPredictions.Zip(testLabels, (p, y) => (double)(p - y)).ToArray();
        var card = new ModelCard(
            ModelCard.CurrentSchemaVersion,
            "depth",
            1,
            ModelTasks.Depth,
            ModelTasks.Metres,
            InputSpecCard.FromImageSpec(spec),
            [new OutputSpecCard("depth", [-1, 1, DepthHeight, DepthWidth], ModelTasks.Metres)],
            new LabelRangeCard(labelMin, labelMax),
            histogramCard,
            new TrainingCard("two-conv-fixture", 1, DepthWidth, "l1", new ConRCard(false, 0, 0, 0, 0), "none", false, 1, 1, 11, "fp32", 0,
                new JsonObject { ["generator"] = nameof(ApiFixtureGenerator) }),
            new DataSetCard("synthetic-depth", "none", Convert.ToHexStringLower(SHA256.HashData("synthetic-depth-fixture"u8)), "generated by ApiFixtureGenerator; test fixture only"),
            new MetricsCard(null, null, new JsonObject
            {
                ["testRmse"] = Math.Sqrt(errors.Average(e => e * e)),
                ["testMae"] = errors.Average(e => Math.Abs(e)),
                ["note"] = "synthetic per-pixel labels: prediction plus depth-proportional noise",
            }),
            RangeErrors.Compute([.. valPredictions.Select(v => (double)v)], [.. valLabels.Select(v => (double)v)], 0.5, 0),
            DepthModelPackager.Calibrate(valPredictions, valLabels, testPredictions, testLabels, histogramCard),
            Convert.ToHexStringLower(SHA256.HashData(onnx)),
            BuildInfo.GitCommit,
            DateTimeOffset.UtcNow);
        WritePackage(folder, onnx, card);
    }

    // image [N, 3, 24, 32] -> conv 3x3 (4 channels) -> ReLU -> conv 3x3 (1 channel) -> Softplus -> x 2 = depth [N, 1, 24, 32] in metres.
    private static byte[] DepthGraph()
    {
        var rng = new Random(5);
        float[] Values(int count, double scale) => [.. Enumerable.Range(0, count).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale))];
        var graph = new OnnxGraphBuilder("depth-fixture");
        var input = graph.AddInput("image", OnnxDim.Symbolic("N"), OnnxDim.Fixed(3), OnnxDim.Fixed(DepthHeight), OnnxDim.Fixed(DepthWidth));
        long[] kernel = [3, 3], stride = [1, 1], pads = [1, 1, 1, 1], dilation = [1, 1];
        var w1 = graph.AddInitializer("conv1.weight", Values(4 * 3 * 3 * 3, 0.3), 4, 3, 3, 3);
        var b1 = graph.AddInitializer("conv1.bias", Values(4, 0.1), 4);
        var hidden = graph.Relu(graph.Conv(input, w1, b1, kernel, stride, pads, dilation, 1));
        var w2 = graph.AddInitializer("conv2.weight", Values(4 * 3 * 3, 0.3), 1, 4, 3, 3);
        var b2 = graph.AddInitializer("conv2.bias", new[] { 0.6f }, 1);
        var softplus = graph.Softplus(graph.Conv(hidden, w2, b2, kernel, stride, pads, dilation, 1));
        var scale = graph.AddInitializer("metres", new[] { 2f }, 1);
        graph.AddOutput(graph.Mul(softplus, scale), "depth", OnnxDim.Symbolic("N"), OnnxDim.Fixed(1), OnnxDim.Fixed(DepthHeight), OnnxDim.Fixed(DepthWidth));
        return graph.BuildModel(OnnxModelNames.Producer, "fixture", "Tiny depth model for the API tests.", []).ToByteArray();
    }

    // Per-pixel predictions of the graph on random images, and labels = prediction + noise growing with depth.
    private static (float[] Predictions, float[] Labels) SyntheticPixels(byte[] onnx, ImageSpec spec, Random rng, int images)
    {
        var input = new float[images * spec.TensorLength];
        for (var i = 0; i < images; i++)
        {
            using var image = new Image<Rgb24>(48, 40);
            var (r, g, b) = ((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256));
            image.ProcessPixelRows(rows =>
            {
                for (var y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (var x = 0; x < row.Length; x++)
                        row[x] = new Rgb24((byte)((r + (x * 4)) % 256), (byte)((g + (y * 5)) % 256), (byte)((b + rng.Next(40)) % 256));
                }
            });
            ImagePreprocessor.Preprocess(image, spec).CopyTo(input.AsSpan(i * spec.TensorLength));
        }

        var (predictions, _) = ExportTestSupport.RunOnnx(onnx, "image", input, [images, 3, spec.Height, spec.Width], "depth");
        var labels = new float[predictions.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            var noise = (float)(((rng.NextDouble() * 2) - 1) * (0.05 + (0.1 * predictions[i])));
            labels[i] = Math.Clamp(predictions[i] + noise, 0.01f, 10f);
        }

        return (predictions, labels);
    }

    private static void WritePackage(string folder, byte[] onnx, ModelCard card)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, ModelRepository.OnnxFile), onnx);
        File.WriteAllText(Path.Combine(folder, ModelRepository.CardFile), ModelCardSerializer.Serialize(card) + "\n");
    }

    // The source tree, found from this file's compile-time path (the build output may live anywhere, e.g. under
    // --artifacts-path), else from the output or working folder.
    private static string FixtureRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { Path.GetDirectoryName(sourceFile), AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ConR.Web.sln")))
                {
                    return Path.Combine(dir.FullName, "tests", "ConR.Api.Tests", "Fixtures", "models");
                }
            }
        }

        throw new InvalidOperationException($"ConR.Web.sln not found above {sourceFile} or {AppContext.BaseDirectory}.");
    }
}
