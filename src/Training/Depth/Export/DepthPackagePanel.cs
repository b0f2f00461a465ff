using System.Globalization;
using ConR.Shared.Calibration;
using ConR.Shared.ModelPackage;
using ConR.Training.Depth.Data;
using ConR.Training.Engine;
using ConR.Training.Export;
using ConR.Training.Reporting;
using static TorchSharp.torch;

namespace ConR.Training.Depth.Export;

/// <summary>
/// `conr-train depth-panel`: a picture of what a depth package answers on test scenes: input, truth, the run's
/// prediction, and the 90% interval half-width the package's own calibration gives each pixel from its predicted
/// depth, as POST /v1/depth answers with the default mix (<see cref="LabelMix.Natural"/>).
/// </summary>
public static class DepthPackagePanel
{
    /// <summary>Test scenes shown, spread over the split's depths (<see cref="DepthPanelScenes.SpreadByDepth"/>).</summary>
    public const int Scenes = 4;

    /// <summary>The interval level drawn: the API's default.</summary>
    public const double Level = 0.9;

    /// <summary>The file name the README's picture has.</summary>
    public const string FileName = "depth-panel-test.png";

    /// <summary>Writes the panel of <paramref name="runDir"/>'s best model with the calibration of <paramref name="packageDir"/>, which must have been exported from that run.</summary>
    /// <exception cref="ConfigurationException">Not a depth run, no test split, no readable card, or a package of another run.</exception>
    public static void Write(string runDir, string packageDir, string pngPath, Device device, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var run = new RunDirectory(runDir);
        if (!DepthTrainingRun.IsDepthRun(run)) throw new ConfigurationException($"{run.Root} is not a depth run folder ({run.ConfigPath} is missing or has no \"task\": \"depth\")");
        var config = DepthTrainingRun.ReadConfig(run);
        if (config.TestCsv is null) throw new ConfigurationException("the panel shows test scenes: the run has no --test-csv");
        var card = ReadCard(packageDir);
        var differences = DepthPackageRunMatch.Differences(card, config, RunStateFile.ReadLast<DepthEpochRecord>(run).BestEpoch);
        if (differences.Count > 0)
            throw new ConfigurationException($"{packageDir} was not exported from {run.Root}: {string.Join("; ", differences)}");
        var (calibration, mix) = card.Calibration.Resolve(LabelMix.Natural);

        var data = DepthData.Load(config, log, new HashSet<string> { "test" });
        var (truth, _) = data.EvalTruth("test");
        var chosen = DepthPanelScenes.SpreadByDepth(truth, Scenes);
        if (chosen.Length == 0) throw new ConfigurationException("no test scene has ground truth to show");
        float[][] predictions;
        using (var model = DepthEvaluation.LoadBest(run, config, device))
            predictions = DepthPredictions.Predict(model, data, [.. chosen.Select(i => data.Test[i])], device, config.Workers);

        var scenes = chosen.Select((scene, row) => (Rgb: DepthPanelScenes.DisplayRgb(data, data.Test[scene]), Truth: truth[scene], Prediction: predictions[row])).ToList();
        var widths = predictions.Select(p => HalfWidths(calibration.Table, p)).ToList();
        float maxDepth = MathF.Ceiling(Math.Max(1f, scenes.SelectMany(s => s.Truth).Where(float.IsFinite).DefaultIfEmpty(1f).Max()));
        float maxWidth = (float)ColourBarScale.Top(widths.SelectMany(w => w).Where(float.IsFinite).DefaultIfEmpty(0f).Max());
        var percent = string.Create(CultureInfo.InvariantCulture, $"{Level * 100:0}%");
        // A card without a natural-mix table (schema 1) is answered with its balanced one, by the API as here: say so.
        var title = $"{percent} interval half-width" + (mix == LabelMix.Natural ? string.Empty : $" ({mix})");
        RunPlots.WriteDepthPanel(pngPath, scenes, config.ImageWidth, config.ImageHeight, maxDepth, new DepthPanelWidths(title, "Half-width (m)", widths, maxWidth));
        log.WriteLine($"Wrote {pngPath}: test scenes {string.Join(", ", chosen)} (by index in {Path.GetFileName(config.TestCsv)}), near to far; " +
                      $"the {mix} mix's {percent} half-widths of {card.Name}/{card.Version}, from each pixel's predicted depth.");
    }

    /// <summary>
    /// The half-width the table gives each pixel of <paramref name="prediction"/> at <see cref="Level"/>: the one
    /// calibration implementation the API answers with (<see cref="CalibrationTable.HalfWidths"/>).
    /// </summary>
    public static float[] HalfWidths(CalibrationTable table, float[] prediction)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(prediction);
        var halfWidths = new float[prediction.Length];
        table.HalfWidths(prediction, Level, halfWidths);
        return halfWidths;
    }

    private static ModelCard ReadCard(string packageDir)
    {
        var path = Path.Combine(packageDir, ModelRepository.CardFile);
        if (!File.Exists(path)) throw new ConfigurationException($"{packageDir} is not a model package ({path} is missing)");
        try
        {
            return ModelCardSerializer.Deserialize(File.ReadAllText(path), path);
        }
        catch (ModelCardException ex)
        {
            throw new ConfigurationException(ex.Message);
        }
    }
}
