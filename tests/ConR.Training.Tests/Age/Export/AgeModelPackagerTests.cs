using System.Text.Json.Nodes;
using ConR.Shared.Calibration;
using ConR.Shared.ModelPackage;
using ConR.Shared.Preprocessing;
using ConR.Training.Age;
using ConR.Training.Age.Data;
using ConR.Training.Age.Export;
using ConR.Training.Age.Models;
using ConR.Training.Engine;
using ConR.Training.Export;
using ConR.Training.Tests.Export;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Age.Export;

[Collection(SeededTorchRuns.Name)]
public sealed class AgeModelPackagerTests
{
    [Fact]
    public void Export_TrainedRun_WritesPackageThatOnnxRuntimeServesLikeTorchSharp()
    {
        using var data = new TinyAgeDataSet();
        var (runDir, config) = TrainTinyRun(data);
        var repo = new ModelRepository(Path.Combine(data.Root, "models"));

        var folder = AgeModelPackager.Export(runDir, repo, "age", null, CPU, TextWriter.Null);

        Assert.Equal(Path.Combine(repo.Root, "age", "1"), folder);
        var card = ModelCardSerializer.Deserialize(File.ReadAllText(Path.Combine(folder, "model.json")), "model.json");
        Assert.Equal(Sha256File.Of(Path.Combine(folder, "model.onnx")), card.OnnxSha256);
        Assert.Equal(ModelTasks.Age, card.Task);
        Assert.Equal(config.ImageSize, card.Input.Width);
        Assert.Equal(ModelCard.CurrentSchemaVersion, card.SchemaVersion);
        Assert.Equal(12, card.Calibration.Balanced.TestCoverage.Ranges.Sum(r => r.Count));
        Assert.Equal(CalibrationKeys.Label, card.Calibration.Balanced.Table.Options.KeyedBy);
        var natural = card.Calibration.Natural!;
        Assert.Equal(CalibrationKeys.Prediction, natural.Table.Options.KeyedBy);
        Assert.True(natural.TestCoverage.ImportanceWeighted);
        Assert.Equal(12, natural.TestCoverage.Shots!.Sum(s => s.Count));
        Assert.Equal(12, card.Metrics.Test!.All.Count);
        Assert.NotEmpty(card.ValRangeErrors);
        Assert.Matches("^[0-9a-f]{40}$|^unknown$", card.GitCommit);
        // The card travels: the training machine's folders stay out of it.
        Assert.Equal(Path.GetFileName(config.DataDir), (string?)card.Training.RawConfig["dataDir"]);
        Assert.DoesNotContain(Path.GetDirectoryName(config.DataDir)!, card.Training.RawConfig.ToJsonString(), StringComparison.Ordinal);

        // The served graph, fed through the card's own preprocessing, answers like the TorchSharp checkpoint.
        using var image = new Image<Rgb24>(37, 29, new Rgb24(120, 80, 200));
        var spec = card.Input.ToImageSpec();
        var input = ImagePreprocessor.Preprocess(image, spec);
        using var model = new AgeRegressor(config.ModelSpec());
        model.load(new RunDirectory(runDir).BestModelPath);
        var expected = ExportTestSupport.TorchPredict(model, input, [1, 3, spec.Height, spec.Width]);
        var (actual, shape) = ExportTestSupport.RunOnnx(File.ReadAllBytes(Path.Combine(folder, "model.onnx")), "image", input, [1, 3, spec.Height, spec.Width], "age");
        Assert.Equal(new long[] { 1, 1 }, shape);
        Assert.True(Math.Abs(actual[0] - expected[0]) <= 1e-3, $"ORT {actual[0]} vs TorchSharp {expected[0]}");
    }

    [Fact]
    public void Export_Fp16_ShipsTheWeightsTheCardWasMeasuredWith()
    {
        using var data = new TinyAgeDataSet();
        var (runDir, config) = TrainTinyRun(data);
        var log = new StringWriter();

        var folder = AgeModelPackager.Export(runDir, new ModelRepository(Path.Combine(data.Root, "models")), "age", null, CPU, log, OnnxWeightStorage.Float16);

        var onnx = File.ReadAllBytes(Path.Combine(folder, "model.onnx"));
        var card = ModelCardSerializer.Deserialize(File.ReadAllText(Path.Combine(folder, "model.json")), "model.json");
        Assert.Equal(Sha256File.Of(Path.Combine(folder, "model.onnx")), card.OnnxSha256);
        Assert.Contains("rounded to float16", log.ToString(), StringComparison.Ordinal);
        // The packager measured the checkpoint rounded as the file stores it; that model exports to the very same file.
        using var model = new AgeRegressor(config.ModelSpec());
        model.load(new RunDirectory(runDir).BestModelPath);
        AgeOnnxExport.RoundToStoredWeights(model, OnnxWeightStorage.Float16);
        Assert.Equal(onnx, AgeOnnxExport.ToOnnx(model, OnnxWeightStorage.Float16));
        using var image = new Image<Rgb24>(37, 29, new Rgb24(120, 80, 200));
        var spec = card.Input.ToImageSpec();
        var input = ImagePreprocessor.Preprocess(image, spec);
        var expected = ExportTestSupport.TorchPredict(model, input, [1, 3, spec.Height, spec.Width]);
        var (actual, _) = ExportTestSupport.RunOnnx(onnx, "image", input, [1, 3, spec.Height, spec.Width], "age");
        Assert.True(Math.Abs(actual[0] - expected[0]) <= 1e-3, $"ORT {actual[0]} vs rounded TorchSharp {expected[0]}");
    }

    [Fact]
    public void Export_Again_WritesNextVersionAndNeverOverwrites()
    {
        using var data = new TinyAgeDataSet();
        var (runDir, _) = TrainTinyRun(data);
        var repo = new ModelRepository(Path.Combine(data.Root, "models"));
        AgeModelPackager.Export(runDir, repo, "age", null, CPU, TextWriter.Null);
        var before = File.ReadAllBytes(Path.Combine(repo.Root, "age", "1", "model.json"));

        AgeModelPackager.Export(runDir, repo, "age", null, CPU, TextWriter.Null);
        var error = Assert.Throws<IOException>(() => AgeModelPackager.Export(runDir, repo, "age", 1, CPU, TextWriter.Null));

        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { 1, 2 }, repo.Versions("age"));
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(repo.Root, "age", "1", "model.json")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(repo.Root, "age"), ".*"));
    }

    [Fact]
    public void Export_CheckpointOfAnotherArchitecture_NamesTheMismatchAndLeavesNoFolder()
    {
        using var data = new TinyAgeDataSet();
        var (runDir, _) = TrainTinyRun(data);
        var configPath = Path.Combine(runDir, "config.json");
        var json = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        json["architecture"] = "resnet50";
        File.WriteAllText(configPath, json.ToJsonString());
        var repo = new ModelRepository(Path.Combine(data.Root, "models"));

        var error = Assert.Throws<ConfigurationException>(() => AgeModelPackager.Export(runDir, repo, "age", null, CPU, TextWriter.Null));

        Assert.Contains("does not match the run's architecture (resnet50", error.Message, StringComparison.Ordinal);
        Assert.Empty(repo.Versions("age"));
        Assert.False(Directory.Exists(Path.Combine(repo.Root, "age")) && Directory.EnumerateFileSystemEntries(Path.Combine(repo.Root, "age")).Any());
    }

    [Fact]
    public void Export_RunOfAnOlderFormat_IsRefusedWithTheFormatNamed()
    {
        using var data = new TinyAgeDataSet();
        var (runDir, _) = TrainTinyRun(data);
        var configPath = Path.Combine(runDir, "config.json");
        var json = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        json["format"] = 0;
        File.WriteAllText(configPath, json.ToJsonString());

        var error = Assert.Throws<ConfigurationException>(() =>
            AgeModelPackager.Export(runDir, new ModelRepository(Path.Combine(data.Root, "models")), "age", null, CPU, TextWriter.Null));
        Assert.Contains("run format 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_RunWithoutCheckpoint_SaysToTrainFirst()
    {
        using var data = new TinyAgeDataSet();
        var runDir = data.NewRunDir();
        Directory.CreateDirectory(runDir);
        RunDirectory.WriteJsonAtomic(Path.Combine(runDir, "config.json"), data.Config());

        var error = Assert.Throws<ConfigurationException>(() =>
            AgeModelPackager.Export(runDir, new ModelRepository(Path.Combine(data.Root, "models")), "age", null, CPU, TextWriter.Null));
        Assert.Contains("no best checkpoint", error.Message, StringComparison.Ordinal);
    }

    private static (string RunDir, AgeTrainConfig Config) TrainTinyRun(TinyAgeDataSet data)
    {
        var config = data.Config(epochs: 1);
        var runDir = data.NewRunDir();
        Directory.CreateDirectory(runDir);
        RunDirectory.WriteJsonAtomic(Path.Combine(runDir, "config.json"), config);
        new AgeTrainer(config, new RunDirectory(runDir), CPU, TextWriter.Null).Train(AgeData.Load(config, TextWriter.Null), resume: false);
        return (runDir, config);
    }
}
