using System.Globalization;

namespace ConR.Shared.Calibration;

// Structural checks of a (typically deserialised) table: everything RangeFor and Interval rely on.
internal static class CalibrationTableValidator
{
    // Edges further than this (in range widths) from the grid were not written by ConformalCalibrator.
    private const double GridTolerance = 1e-6;

    // Bounds are built per request from the cells; a card with more than this was not written by ConformalCalibrator.
    private const int MaxScaleCells = 100_000;

    public static IReadOnlyList<string> Problems(CalibrationTable table)
    {
        var problems = new List<string>();
        var optionProblems = table.Options?.Validate() ?? ["missing"];
        var optionsUsable = optionProblems.Count == 0;
        problems.AddRange(optionProblems.Select(p => table.Options is null ? "options: " + p : "options." + p));

        if (!double.IsFinite(table.LabelMin) || !double.IsFinite(table.LabelMax) || !(table.LabelMin < table.LabelMax))
        {
            problems.Add($"labelMin/labelMax: labelMin must be below labelMax, both finite (got {F(table.LabelMin)} and {F(table.LabelMax)})");
        }

        if (table.Scale is not null)
        {
            problems.AddRange(ScaleProblems(table));
        }

        if (optionsUsable)
        {
            problems.AddRange(ScaleAgreementProblems(table));
        }

        if (table.Ranges is null || table.Ranges.Count == 0)
        {
            problems.Add("ranges: must list at least one range");
            return problems;
        }

        for (var i = 0; i < table.Ranges.Count; i++)
        {
            var range = table.Ranges[i];
            var path = $"ranges[{i}]";
            if (range is null)
            {
                problems.Add($"{path}: missing");
                continue;
            }

            if (!double.IsFinite(range.From) || !double.IsFinite(range.To) || !(range.From < range.To))
            {
                problems.Add($"{path}: from must be below to, both finite (got {F(range.From)} and {F(range.To)})");
            }
            else if (optionsUsable && (!OnGrid(range.From, table.Options!) || !OnGrid(range.To, table.Options!)))
            {
                problems.Add($"{path}: edges {F(range.From)} and {F(range.To)} are not on the grid rangeStart + k·rangeWidth");
            }

            if (i > 0 && table.Ranges[i - 1] is { } previous && !(previous.To <= range.From))
            {
                problems.Add($"{path}: overlaps or is not after ranges[{i - 1}] ([{F(previous.From)}, {F(previous.To)}) then [{F(range.From)}, {F(range.To)}))");
            }

            if (range.ValCount < 1)
            {
                problems.Add($"{path}.valCount: must be at least 1 (got {range.ValCount})");
            }

            if (range.MergedFrom < 1)
            {
                problems.Add($"{path}.mergedFrom: must be at least 1 (got {range.MergedFrom})");
            }

            if (range.HalfWidths is null)
            {
                problems.Add($"{path}.halfWidths: missing");
                continue;
            }

            foreach (var level in table.Options?.Levels ?? [])
            {
                var key = CalibrationOptions.LevelKey(level);
                if (!range.HalfWidths.TryGetValue(key, out var q))
                {
                    problems.Add($"{path}.halfWidths: missing level {key}");
                }
                else if (!(q >= 0) || !double.IsFinite(q))
                {
                    problems.Add($"{path}.halfWidths[\"{key}\"]: must be non-negative and finite (got {F(q)})");
                }
            }
        }

        return problems;
    }

    // What LabelConditionalBounds and LabelScale.At rely on: a label-keyed table, a usable grid, a positive value per cell.
    private static IEnumerable<string> ScaleProblems(CalibrationTable table)
    {
        var scale = table.Scale!;
        if (!table.IsLabelKeyed)
        {
            yield return "scale: only a table keyed by label is normalised";
        }

        if (!double.IsFinite(scale.From) || !(scale.Step > 0) || !double.IsFinite(scale.Step))
        {
            yield return $"scale: from must be finite and step positive and finite (got {F(scale.From)} and {F(scale.Step)})";
        }

        if (!(scale.Bandwidth > 0) || !double.IsFinite(scale.Bandwidth))
        {
            yield return $"scale.bandwidth: must be positive and finite (got {F(scale.Bandwidth)})";
        }

        if (scale.Values is null || scale.Values.Count == 0 || scale.Values.Count > MaxScaleCells)
        {
            yield return $"scale.values: must hold 1 to {MaxScaleCells} values (got {scale.Values?.Count ?? 0})";
            yield break;
        }

        for (var i = 0; i < scale.Values.Count; i++)
        {
            if (!(scale.Values[i] > 0) || !double.IsFinite(scale.Values[i]))
            {
                yield return $"scale.values[{i}]: must be positive and finite (got {F(scale.Values[i])})";
            }
        }
    }

    // The card states the bandwidth twice (options.scaleBandwidth says how to refit, scale.bandwidth what was fitted) and
    // the cell width once more implicitly (rangeWidth / ScaleCellsPerRange): a table whose parts disagree was edited by
    // hand, and a refit from its options would silently give a different table.
    private static IEnumerable<string> ScaleAgreementProblems(CalibrationTable table)
    {
        var options = table.Options!;
        if (table.Scale is not { } scale)
        {
            if (options.ScaleBandwidth is not null)
            {
                yield return table.IsLabelKeyed
                    ? "scale: missing, but options.scaleBandwidth says the table is normalised"
                    : "options.scaleBandwidth: only a table keyed by label is normalised";
            }

            yield break;
        }

        if (options.ScaleBandwidth is not { } bandwidth || !Same(bandwidth, scale.Bandwidth))
        {
            yield return $"scale.bandwidth: must equal options.scaleBandwidth (got {F(scale.Bandwidth)} and {(options.ScaleBandwidth is { } b ? F(b) : "nothing")})";
        }

        var step = options.RangeWidth / CalibrationOptions.ScaleCellsPerRange;
        if (double.IsFinite(scale.Step) && !Same(step, scale.Step))
        {
            yield return $"scale.step: must be rangeWidth / {CalibrationOptions.ScaleCellsPerRange} = {F(step)} (got {F(scale.Step)})";
        }
    }

    private static bool Same(double a, double b) => Math.Abs(a - b) <= GridTolerance * Math.Max(Math.Abs(a), Math.Abs(b));

    private static bool OnGrid(double edge, CalibrationOptions options)
    {
        var k = (edge - options.RangeStart) / options.RangeWidth;
        return Math.Abs(k - Math.Round(k)) <= GridTolerance;
    }

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
}
