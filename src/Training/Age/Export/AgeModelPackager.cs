using System.Text.Json;
using System.Text.Json.Nodes;
using ConR.Shared.Calibration;
using ConR.Shared.Metrics;
using ConR.Shared.ModelPackage;
using ConR.Shared.Preprocessing;
using ConR.Training.Age.Data;
using ConR.Training.Age.Models;
using ConR.Training.Engine;
using ConR.Training.Export;
using TorchSharp;
using static TorchSharp.torch;

namespace ConR.Training.Age.Export;

/// <summary>
/// Turns an age run into a served package: the ONNX graph of its best-on-val model and a model card with the DIR
/// tables, the per-range error on val, and split-conformal intervals for both label mixes (<see cref="MixCalibrator"/>)
/// fitted on val and checked on test.
/// With <see cref="OnnxWeightStorage.Float16"/> the model is first rounded to the stored weights, so the card's metrics
/// and intervals are those of the shipped graph.
/// </summary>
public static class AgeModelPackager
{
    public static string Export(string runDir, ModelRepository repository, string name, int? version, Device device, TextWriter log,
        OnnxWeightStorage weights = OnnxWeightStorage.Float32)
    {
        var run = new RunDirectory(runDir);
        if (!run.HasConfig) throw new ConfigurationException($"{run.Root} is not a run folder ({run.ConfigPath} is missing)");
        var config = ReadAgeConfig(run);
        if (!File.Exists(run.BestModelPath)) throw new ConfigurationException($"{run.Root} has no best checkpoint ({run.BestModelPath} is missing): train it first");
        var lastDir = run.LastCheckpointDir() ?? throw new ConfigurationException($"{run.Root} has no completed epoch");
        var state = RunStateFile.Read<AgeEpochRecord>(lastDir);
        int targetVersion = repository.NextVersion(name, version);

        using var model = new AgeRegressor(config.ModelSpec());
        try
        {
            model.load(run.VerifiedBestModelPath());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ConfigurationException($"{run.BestModelPath} does not match the run's architecture ({config.Architecture}, width {config.Width}, {config.ImageSize}px): {ex.Message}");
        }
        model.to(device);
        model.eval();
        AgeOnnxExport.RoundToStoredWeights(model, weights);
        if (weights == OnnxWeightStorage.Float16)
            log.WriteLine("Weights: rounded to float16 as model.onnx stores them; the metrics and calibration are measured with the rounded model.");

        var data = AgeData.Load(config, log);
        if (data.Val.Length == 0 || data.Test.Length == 0) throw new ConfigurationException("calibration needs both val and test rows in the CSV");
        var val = Score(model, data, data.Val, config, device);
        var test = Score(model, data, data.Test, config, device);
        double labelMin = data.Train.Min(i => data.Label(i)), labelMax = data.Train.Max(i => data.Label(i));
        if (!(labelMax > labelMin)) throw new ConfigurationException("the training labels span a single value; no label range to calibrate");

        var shots = new ShotThresholds();
        var mixes = MixCalibrator.Fit(
            val.Predictions, val.Labels, test.Predictions, test.Labels, new LabelShots(data.TrainHistogram, shots), CalibrationOptions.Age, labelMin, labelMax);
        var calibration = CalibrationCards.From(mixes, CalibrationWording.Age);
        foreach (var (mix, fitted) in calibration.Present())
            log.WriteLine($"Calibration ({mix}): {fitted.Table.Ranges.Count} ranges by {fitted.Table.Options.KeyedBy}; {fitted.TargetNote} Target {(fitted.TargetMet ? "met" : "NOT met")}.");

        var onnx = AgeOnnxExport.ToOnnx(model, weights);
        var card = new ModelCard(
            ModelCard.CurrentSchemaVersion, name, targetVersion, ModelTasks.Age, ModelTasks.Years,
            InputSpecCard.FromImageSpec(ImageSpec.Age(config.ImageSize)),
            [new OutputSpecCard(AgeOnnxExport.OutputName, [-1, 1], ModelTasks.Years)],
            new LabelRangeCard(labelMin, labelMax),
            HistogramCard.From(data.TrainHistogram, shots, HistogramCard.Samples),
            TrainingCardFor(config, state),
            DataSetCardFor(config),
            new MetricsCard(
                DirMetrics.Compute(val.Predictions, val.Labels, data.TrainHistogram, shots),
                DirMetrics.Compute(test.Predictions, test.Labels, data.TrainHistogram, shots),
                null),
            RangeErrors.Compute(val.Predictions, val.Labels, 5, 0),
            calibration,
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(onnx)),
            BuildInfo.GitCommit,
            DateTimeOffset.UtcNow);
        var published = repository.PublishPackage(card, onnx);
        log.WriteLine($"Exported {name} version {targetVersion} to {published} ({onnx.Length / 1e6:F1} MB ONNX).");
        return published;
    }

    private static AgeTrainConfig ReadAgeConfig(RunDirectory run)
    {
        JsonObject? raw;
        try
        {
            raw = JsonNode.Parse(File.ReadAllText(run.ConfigPath)) as JsonObject;
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException($"{run.ConfigPath} is not valid JSON: {ex.Message}");
        }
        if (raw is null) throw new ConfigurationException($"{run.ConfigPath} is not a JSON object");
        int format = raw["format"]?.GetValue<int>() ?? 0;
        if (format is < 1 or > AgeTrainConfig.CurrentFormat)
            throw new ConfigurationException($"{run.ConfigPath}: run format {format} is not supported by this exporter (expected 1 to {AgeTrainConfig.CurrentFormat}); retrain or export with the matching version");
        if (raw["imageSize"] is null || raw["architecture"] is null)
            throw new ConfigurationException($"{run.ConfigPath} is not an age run (no architecture/imageSize)");
        var config = AgeTrainConfig.Read(run.ConfigPath);
        config.Validate();
        return config;
    }

    private sealed record Scored(double[] Predictions, double[] Labels);

    private static Scored Score(AgeRegressor model, AgeData data, int[] indices, AgeTrainConfig config, Device device) =>
        new(AgePredictions.Predict(model, data, indices, config.Workers, device), indices.Select(i => (double)data.Label(i)).ToArray());

    private static TrainingCard TrainingCardFor(AgeTrainConfig config, RunState<AgeEpochRecord> state) => new(
        config.Architecture, config.Width, config.ImageSize, config.Loss,
        new ConRCard(config.ConR, config.Window, config.Beta, config.Temperature, config.PushingScale),
        config.Reweight, config.Lds, config.Epochs, state.BestEpoch, config.Seed, config.Precision, state.TotalTrainSeconds,
        PortableRawConfig.Of((JsonObject)JsonSerializer.SerializeToNode(config, RunDirectory.Json)!));

    private static DataSetCard DataSetCardFor(AgeTrainConfig config)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(config.DataDir));
        var licence = name.Contains("utkface", StringComparison.OrdinalIgnoreCase)
            ? DataSetCard.UtkFaceLicence
            : "see the data set's own terms of use";
        return new DataSetCard(name, Path.GetFileName(config.CsvPath), Sha256File.Of(config.CsvPath), licence);
    }
}
