using System.Globalization;

namespace ConR.Shared.ModelPackage;

// Semantic checks of a card: everything the serving API relies on, each problem as "json.path: what is wrong".
// Null members are reported, not dereferenced, so a hand-built or half-read card gets a list rather than a crash.
internal static class ModelCardValidator
{
    public static IReadOnlyList<string> Problems(ModelCard card)
    {
        var problems = new List<string>();
        if (card.SchemaVersion != ModelCard.CurrentSchemaVersion)
        {
            problems.Add($"schemaVersion: must be {ModelCard.CurrentSchemaVersion} (got {card.SchemaVersion})");
        }

        NotEmpty(problems, "name", card.Name);
        if (card.Version < 1)
        {
            problems.Add($"version: must be at least 1 (got {card.Version})");
        }

        TaskAndUnits(problems, card.Task, card.Units);
        if (Present(problems, "input", card.Input))
        {
            Input(problems, card.Input);
        }

        Outputs(problems, card.Outputs);
        if (Present(problems, "labelRange", card.LabelRange)
            && !(double.IsFinite(card.LabelRange.Min) && double.IsFinite(card.LabelRange.Max) && card.LabelRange.Min < card.LabelRange.Max))
        {
            problems.Add($"labelRange: min must be below max, both finite (got {F(card.LabelRange.Min)} and {F(card.LabelRange.Max)})");
        }

        if (Present(problems, "trainHistogram", card.TrainHistogram))
        {
            Histogram(problems, card.TrainHistogram);
        }

        if (Present(problems, "training", card.Training))
        {
            Training(problems, card.Training);
        }

        if (Present(problems, "dataSet", card.DataSet))
        {
            NotEmpty(problems, "dataSet.name", card.DataSet.Name);
            NotEmpty(problems, "dataSet.splitFile", card.DataSet.SplitFile);
            Digest(problems, "dataSet.splitSha256", card.DataSet.SplitSha256);
            NotEmpty(problems, "dataSet.licence", card.DataSet.Licence);
        }

        Present(problems, "metrics", card.Metrics);
        if (Present(problems, "valRangeErrors", card.ValRangeErrors))
        {
            for (var i = 0; i < card.ValRangeErrors.Count; i++)
            {
                var range = card.ValRangeErrors[i];
                if (Present(problems, $"valRangeErrors[{i}]", range) && !(range.From < range.To && range.Count >= 0))
                {
                    problems.Add($"valRangeErrors[{i}]: needs from < to and count >= 0 (got [{F(range.From)}, {F(range.To)}), count {range.Count})");
                }
            }
        }

        if (Present(problems, "calibration", card.Calibration))
        {
            CalibrationCardValidator.Check(problems, card.Calibration, card.LabelRange);
        }

        Digest(problems, "onnxSha256", card.OnnxSha256);
        NotEmpty(problems, "gitCommit", card.GitCommit);
        if (card.CreatedUtc == default)
        {
            problems.Add("createdUtc: must be set");
        }

        return problems;
    }

    private static void TaskAndUnits(List<string> problems, string task, string units)
    {
        var expectedUnits = ModelTasks.UnitsFor(task);
        if (expectedUnits is null)
        {
            problems.Add($"task: must be '{ModelTasks.Age}' or '{ModelTasks.Depth}' (got {Q(task)})");
        }
        else if (units != expectedUnits)
        {
            problems.Add($"units: task '{task}' must be in '{expectedUnits}' (got {Q(units)})");
        }
    }

    private static void Input(List<string> problems, InputSpecCard input)
    {
        NotEmpty(problems, "input.name", input.Name);
        OneOf(problems, "input.elementType", input.ElementType, InputSpecCard.SupportedElementType);
        OneOf(problems, "input.layout", input.Layout, InputSpecCard.SupportedLayout);
        OneOf(problems, "input.channelOrder", input.ChannelOrder, InputSpecCard.SupportedChannelOrder);
        if (input.Width <= 0 || input.Height <= 0)
        {
            problems.Add($"input.width/height: must be positive (got {input.Width}x{input.Height})");
        }

        Channels(problems, "input.mean", input.Mean, positive: false);
        Channels(problems, "input.std", input.Std, positive: true);
        NotEmpty(problems, "input.resizeRule", input.ResizeRule);
        NotEmpty(problems, "input.valueScale", input.ValueScale);
    }

    private static void Channels(List<string> problems, string path, IReadOnlyList<float> values, bool positive)
    {
        if (!Present(problems, path, values))
        {
            return;
        }

        if (values.Count != 3)
        {
            problems.Add($"{path}: must have 3 values (R, G, B), got {values.Count}");
            return;
        }

        for (var c = 0; c < values.Count; c++)
        {
            if (!float.IsFinite(values[c]) || (positive && !(values[c] > 0)))
            {
                problems.Add($"{path}[{c}]: must be {(positive ? "> 0 and " : string.Empty)}finite (got {values[c].ToString(CultureInfo.InvariantCulture)})");
            }
        }
    }

    private static void Outputs(List<string> problems, IReadOnlyList<OutputSpecCard> outputs)
    {
        if (!Present(problems, "outputs", outputs))
        {
            return;
        }

        if (outputs.Count == 0)
        {
            problems.Add("outputs: must list at least one output");
        }

        for (var i = 0; i < outputs.Count; i++)
        {
            var path = $"outputs[{i}]";
            if (!Present(problems, path, outputs[i]))
            {
                continue;
            }

            NotEmpty(problems, path + ".name", outputs[i].Name);
            NotEmpty(problems, path + ".units", outputs[i].Units);
            var shape = outputs[i].Shape;
            if (Present(problems, path + ".shape", shape) && (shape.Count == 0 || shape.Any(d => d != -1 && d < 1)))
            {
                problems.Add($"{path}.shape: needs at least one dimension, each -1 (dynamic) or positive (got [{string.Join(", ", shape)}])");
            }
        }
    }

    private static void Histogram(List<string> problems, HistogramCard histogram)
    {
        if (!(histogram.BinWidth > 0) || !double.IsFinite(histogram.BinWidth) || !double.IsFinite(histogram.Start))
        {
            problems.Add($"trainHistogram: binWidth must be positive and start finite (got {F(histogram.BinWidth)} and {F(histogram.Start)})");
        }

        if (histogram.ThresholdUnit is not (HistogramCard.Samples or HistogramCard.Pixels))
        {
            problems.Add($"trainHistogram.thresholdUnit: must be '{HistogramCard.Samples}' or '{HistogramCard.Pixels}' (got {Q(histogram.ThresholdUnit)})");
        }

        var thresholds = histogram.Thresholds;
        var thresholdsUsable = Present(problems, "trainHistogram.thresholds", thresholds)
            && double.IsFinite(thresholds.Many) && double.IsFinite(thresholds.Few) && thresholds.Few <= thresholds.Many;
        if (thresholds is not null && !thresholdsUsable)
        {
            problems.Add($"trainHistogram.thresholds: needs finite few <= many (got many {F(thresholds.Many)}, few {F(thresholds.Few)})");
        }

        // Non-short-circuit | so a card missing both hears about both.
        if (!Present(problems, "trainHistogram.counts", histogram.Counts) | !Present(problems, "trainHistogram.shots", histogram.Shots))
        {
            return;
        }

        if (histogram.Counts.Count == 0)
        {
            problems.Add("trainHistogram.counts: must have at least one bin");
        }

        if (histogram.Shots.Count != histogram.Counts.Count)
        {
            problems.Add($"trainHistogram.shots: has {histogram.Shots.Count} entries for {histogram.Counts.Count} counts");
            return;
        }

        for (var i = 0; i < histogram.Counts.Count; i++)
        {
            var count = histogram.Counts[i];
            if (count < 0)
            {
                problems.Add($"trainHistogram.counts[{i}]: must not be negative (got {count})");
            }

            if (!ShotLabels.TryParse(histogram.Shots[i], out var shot))
            {
                problems.Add($"trainHistogram.shots[{i}]: must be '{ShotLabels.Many}', '{ShotLabels.Median}' or '{ShotLabels.Few}' (got {Q(histogram.Shots[i])})");
            }
            else if (thresholdsUsable && count >= 0 && thresholds!.Classify(count) is var expected && expected != shot)
            {
                problems.Add($"trainHistogram.shots[{i}]: is '{histogram.Shots[i]}' but count {count} is '{ShotLabels.ToLabel(expected)}' under thresholds many > {F(thresholds.Many)}, few < {F(thresholds.Few)}");
            }
        }
    }

    private static void Training(List<string> problems, TrainingCard training)
    {
        NotEmpty(problems, "training.architecture", training.Architecture);
        NotEmpty(problems, "training.loss", training.Loss);
        NotEmpty(problems, "training.reweight", training.Reweight);
        NotEmpty(problems, "training.precision", training.Precision);
        if (!(training.Width > 0) || !double.IsFinite(training.Width))
        {
            problems.Add($"training.width: must be positive (got {F(training.Width)})");
        }

        if (training.ImageSize <= 0)
        {
            problems.Add($"training.imageSize: must be positive (got {training.ImageSize})");
        }

        if (training.Epochs < 1 || training.BestEpoch < 0 || training.BestEpoch > training.Epochs)
        {
            problems.Add($"training.epochs/bestEpoch: need epochs >= 1 and 0 <= bestEpoch <= epochs (got {training.Epochs} and {training.BestEpoch})");
        }

        if (!(training.WallSeconds >= 0) || !double.IsFinite(training.WallSeconds))
        {
            problems.Add($"training.wallSeconds: must be non-negative (got {F(training.WallSeconds)})");
        }

        Present(problems, "training.conR", training.ConR);
        Present(problems, "training.rawConfig", training.RawConfig);
    }

    internal static bool Present<T>(List<string> problems, string path, T? value)
        where T : class
    {
        if (value is null)
        {
            problems.Add($"{path}: missing");
            return false;
        }

        return true;
    }

    internal static void NotEmpty(List<string> problems, string path, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(value is null ? $"{path}: missing" : $"{path}: must not be empty");
        }
    }

    private static void OneOf(List<string> problems, string path, string? value, string supported)
    {
        if (value != supported)
        {
            problems.Add($"{path}: only '{supported}' is supported (got {Q(value)})");
        }
    }

    private static void Digest(List<string> problems, string path, string? value)
    {
        if (!Sha256File.IsDigest(value))
        {
            problems.Add($"{path}: must be a SHA-256 of 64 hex characters (got {Q(value)})");
        }
    }

    private static string Q(string? value) => value is null ? "nothing" : $"'{value}'";

    internal static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
}
