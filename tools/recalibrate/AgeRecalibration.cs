using System.Globalization;
using ConR.Shared.Calibration;
using ConR.Shared.Metrics;
using ConR.Shared.ModelPackage;

namespace ConR.Recalibrate;

/// <summary>
/// Age: the graph over the card's val and test faces, the card's DIR tables reproduced from them, then both label
/// mixes fitted on val and measured on test (<see cref="MixCalibrator"/>, as <c>conr-train export</c> does).
/// </summary>
internal static class AgeRecalibration
{
    public static CalibrationCard Run(SourcePackage package, RecalibrateArguments arguments, TextWriter log)
    {
        var card = package.Card;
        if (arguments.CalibrationData is not null)
        {
            throw new RecalibrationInputException("--calibration-data is for depth packages; an age package is calibrated on its val split.");
        }

        if (card.Metrics.Val is null || card.Metrics.Test is null)
        {
            throw new RecalibrationRefusedException($"{card.Name}/{card.Version} has no val/test DIR tables to reproduce.");
        }

        var csv = Path.Combine(arguments.Data, arguments.Csv ?? card.DataSet.SplitFile);
        SplitFiles.RequireDigest(csv, card.DataSet.SplitSha256);
        var splits = AgeSplits.Read(csv, arguments.Data);
        log.WriteLine($"Data: {csv} ({splits.Val.Count} val, {splits.Test.Count} test faces; SHA-256 matches the card)");

        var spec = card.Input.ToImageSpec();
        using var scorer = new OnnxScorer(package.Onnx, card, arguments.Threads);
        var val = Predict(scorer, spec, splits.Val, arguments.Threads);
        var test = Predict(scorer, spec, splits.Test, arguments.Threads);
        double[] valLabels = [.. splits.Val.Select(r => r.Age)], testLabels = [.. splits.Test.Select(r => r.Age)];

        var histogram = card.TrainHistogram.ToLabelHistogram();
        var thresholds = card.TrainHistogram.Thresholds;
        var check = new ReproductionCheck();
        var valTable = DirMetrics.Compute(val, valLabels, histogram, thresholds);
        var testTable = DirMetrics.Compute(test, testLabels, histogram, thresholds);
        check.Add("val", card.Metrics.Val, valTable);
        check.Add("test", card.Metrics.Test, testTable);
        Recalibrator.RequireReproduced(check, card, log);

        var mixes = MixCalibrator.Fit(val, valLabels, test, testLabels, new LabelShots(histogram, thresholds), Recalibrator.Grid(card), card.LabelRange.Min, card.LabelRange.Max);
        var detail = string.Create(
            CultureInfo.InvariantCulture,
            $"Recalibrated from version {package.Version} (tools/recalibrate): the same model.onnx, run with ONNX Runtime on CPU over the card's val and " +
            $"test splits ({card.DataSet.SplitFile}, SHA-256 checked), which reproduced the card's val/test tables (MAE {valTable.All.Mae:F4} / {testTable.All.Mae:F4} years).");
        return CalibrationCards.From(mixes, CalibrationWording.Age with { Detail = detail });
    }

    private static double[] Predict(OnnxScorer scorer, Shared.Preprocessing.ImageSpec spec, IReadOnlyList<AgeRow> rows, int workers) =>
        [.. ImageBatches.Run(scorer, spec, [.. rows.Select(r => r.ImagePath)], workers).Select(v => (double)v)];
}
