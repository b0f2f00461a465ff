using ConR.Shared.Calibration;
using static ConR.Shared.ModelPackage.ModelCardValidator;

namespace ConR.Shared.ModelPackage;

// Semantic checks of the card's calibrations (one per label mix), each problem as "calibration.MIX.path: what is wrong".
internal static class CalibrationCardValidator
{
    public static void Check(List<string> problems, CalibrationCard calibration, LabelRangeCard? labelRange)
    {
        if (Present(problems, "calibration.balanced", calibration.Balanced))
        {
            Mix(problems, "calibration.balanced", calibration.Balanced, labelRange);
        }

        if (calibration.Natural is not null)
        {
            Mix(problems, "calibration.natural", calibration.Natural, labelRange);
        }

        if (calibration.Balanced?.Table?.Options?.Levels is { } balancedLevels && calibration.Natural?.Table?.Options?.Levels is { } naturalLevels
            && !balancedLevels.Select(CalibrationOptions.LevelKey).Order().SequenceEqual(naturalLevels.Select(CalibrationOptions.LevelKey).Order()))
        {
            problems.Add("calibration.natural.table.options.levels: must be the balanced table's levels, so every level can be asked for in either mix");
        }
    }

    private static void Mix(List<string> problems, string path, MixCalibrationCard mix, LabelRangeCard? labelRange)
    {
        NotEmpty(problems, path + ".method", mix.Method);
        NotEmpty(problems, path + ".targetNote", mix.TargetNote);
        if (Present(problems, path + ".table", mix.Table))
        {
            problems.AddRange(mix.Table.Validate().Select(p => $"{path}.table.{p}"));
            if (labelRange is not null && (mix.Table.LabelMin != labelRange.Min || mix.Table.LabelMax != labelRange.Max))
            {
                problems.Add($"{path}.table: label range [{F(mix.Table.LabelMin)}, {F(mix.Table.LabelMax)}] differs from labelRange [{F(labelRange.Min)}, {F(labelRange.Max)}]");
            }
        }

        var coverage = mix.TestCoverage;
        if (!Present(problems, path + ".testCoverage", coverage))
        {
            return;
        }

        path += ".testCoverage";
        if (Present(problems, path + ".overall", coverage.Overall))
        {
            Fractions(problems, path + ".overall", coverage.Overall);
        }

        if (coverage.MedianHalfWidths is not null)
        {
            HalfWidths(problems, path + ".medianHalfWidths", coverage.MedianHalfWidths);
        }

        if (Present(problems, path + ".ranges", coverage.Ranges))
        {
            if (mix.Table?.Ranges is { } tableRanges && coverage.Ranges.Count != tableRanges.Count)
            {
                problems.Add($"{path}.ranges: has {coverage.Ranges.Count} entries for {tableRanges.Count} calibration ranges");
            }

            Ranges(problems, path + ".ranges", coverage.Ranges);
        }

        if (coverage.PredictedRanges is not null)
        {
            Ranges(problems, path + ".predictedRanges", coverage.PredictedRanges);
        }

        for (var i = 0; coverage.Shots is not null && i < coverage.Shots.Count; i++)
        {
            var shotPath = $"{path}.shots[{i}]";
            var shot = coverage.Shots[i];
            if (!Present(problems, shotPath, shot))
            {
                continue;
            }

            if (!ShotLabels.TryParse(shot.Shot, out _))
            {
                problems.Add($"{shotPath}.shot: must be '{ShotLabels.Many}', '{ShotLabels.Median}' or '{ShotLabels.Few}' (got '{shot.Shot}')");
            }

            if (Present(problems, shotPath + ".coverage", shot.Coverage))
            {
                Fractions(problems, shotPath + ".coverage", shot.Coverage);
            }

            if (Present(problems, shotPath + ".medianHalfWidths", shot.MedianHalfWidths))
            {
                HalfWidths(problems, shotPath + ".medianHalfWidths", shot.MedianHalfWidths);
            }
        }
    }

    private static void Ranges(List<string> problems, string path, IReadOnlyList<RangeCoverage> ranges)
    {
        for (var i = 0; i < ranges.Count; i++)
        {
            var rangePath = $"{path}[{i}]";
            if (Present(problems, rangePath, ranges[i]) && Present(problems, rangePath + ".coverage", ranges[i].Coverage))
            {
                Fractions(problems, rangePath + ".coverage", ranges[i].Coverage);
            }
        }
    }

    // Coverage is a fraction, or NaN (null) where no test sample fell.
    private static void Fractions(List<string> problems, string path, IReadOnlyDictionary<string, double> values)
    {
        foreach (var (level, value) in values)
        {
            if (!double.IsNaN(value) && !(value >= 0 && value <= 1))
            {
                problems.Add($"{path}[\"{level}\"]: must be in [0, 1] (got {F(value)})");
            }
        }
    }

    // A median half-width is non-negative, or NaN (null) where no test sample fell.
    private static void HalfWidths(List<string> problems, string path, IReadOnlyDictionary<string, double> values)
    {
        foreach (var (level, value) in values)
        {
            if (!double.IsNaN(value) && !(value >= 0 && double.IsFinite(value)))
            {
                problems.Add($"{path}[\"{level}\"]: must be non-negative and finite (got {F(value)})");
            }
        }
    }
}
