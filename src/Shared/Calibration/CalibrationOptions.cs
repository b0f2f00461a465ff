using System.Globalization;

namespace ConR.Shared.Calibration;

/// <summary>
/// How <see cref="ConformalCalibrator"/> groups validation samples and which interval levels it calibrates.
/// Ranges are [RangeStart + k·RangeWidth, RangeStart + (k+1)·RangeWidth), in label units, of the prediction or of
/// the true label (<see cref="KeyedBy"/>).
/// </summary>
/// <param name="RangeWidth">Range width in label units (5 years for age, 0.5 m for depth); &gt; 0.</param>
/// <param name="RangeStart">A range edge in label units (0 for both tasks); finite.</param>
/// <param name="Levels">Nominal coverage levels, each in (0, 1), e.g. 0.8, 0.9, 0.95; distinct; at least one.</param>
/// <param name="MinSamplesPerRange">
/// Validation samples (pixels for depth) a range needs to be calibrated on its own; sparser ranges are merged
/// with a neighbour. Default 30; ≥ 1. For weighted fits the effective sample size counts (<see cref="CalibrationRange.EffectiveCount"/>).
/// </param>
/// <param name="KeyedBy">
/// What the ranges partition: <see cref="CalibrationKeys.Prediction"/> (the default, and what every schema-1 card
/// means) or <see cref="CalibrationKeys.Label"/>.
/// </param>
/// <param name="ScaleBandwidth">
/// Label-keyed tables only: normalise the residuals by a <see cref="LabelScale"/> smoothed with a Gaussian of this
/// standard deviation (label units) over cells of RangeWidth / <see cref="ScaleCellsPerRange"/>; null for plain
/// residuals (what every card before it means). Ignored when keyed by prediction, and then left out of the fitted table.
/// </param>
public sealed record CalibrationOptions(
    double RangeWidth,
    double RangeStart,
    IReadOnlyList<double> Levels,
    int MinSamplesPerRange = 30,
    string KeyedBy = CalibrationKeys.Prediction,
    double? ScaleBandwidth = null)
{
    /// <summary>Cells of a <see cref="LabelScale"/> per range width: 1 year for age, 0.1 m for depth.</summary>
    public const int ScaleCellsPerRange = 5;

    /// <summary>
    /// Age: 5-year ranges from 0, levels 0.8/0.9/0.95, at least 30 faces per range; label-keyed tables normalised by a
    /// difficulty curve smoothed over 2 years (chosen on the served model's val split by cross-fitting; docs/results.md).
    /// </summary>
    public static CalibrationOptions Age { get; } = new(5, 0, [0.8, 0.9, 0.95], ScaleBandwidth: 2);

    /// <summary>Depth: 0.5 m ranges from 0 m, levels 0.8/0.9/0.95, at least 30 pixels per range; scale smoothed over 0.2 m (the age choice in range widths).</summary>
    public static CalibrationOptions Depth { get; } = new(0.5, 0, [0.8, 0.9, 0.95], ScaleBandwidth: 0.2);

    /// <summary>
    /// The same grid and levels keyed by <paramref name="key"/> (a method, not a property, so the card's JSON does not
    /// carry it); a prediction-keyed table has no scale, so the bandwidth is dropped there.
    /// </summary>
    /// <param name="key"><see cref="CalibrationKeys.Prediction"/> or <see cref="CalibrationKeys.Label"/>.</param>
    public CalibrationOptions KeyedOn(string key) =>
        this with { KeyedBy = key, ScaleBandwidth = key == CalibrationKeys.Label ? ScaleBandwidth : null };

    /// <summary>
    /// The dictionary key of a level in <see cref="CalibrationRange.HalfWidths"/> and coverage tables: the shortest
    /// invariant round-trip form, so 0.9 is "0.9" and 0.95 is "0.95".
    /// </summary>
    public static string LevelKey(double level) => level.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The problems that make these options unusable, as "field: what is wrong" (camelCase JSON names); empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!(RangeWidth > 0) || !double.IsFinite(RangeWidth))
        {
            problems.Add($"rangeWidth: must be positive and finite (got {RangeWidth.ToString(CultureInfo.InvariantCulture)})");
        }

        if (!double.IsFinite(RangeStart))
        {
            problems.Add($"rangeStart: must be finite (got {RangeStart.ToString(CultureInfo.InvariantCulture)})");
        }

        if (MinSamplesPerRange < 1)
        {
            problems.Add($"minSamplesPerRange: must be at least 1 (got {MinSamplesPerRange})");
        }

        if (!CalibrationKeys.IsKnown(KeyedBy))
        {
            problems.Add($"keyedBy: must be '{CalibrationKeys.Prediction}' or '{CalibrationKeys.Label}' (got {(KeyedBy is null ? "nothing" : $"'{KeyedBy}'")})");
        }

        if (ScaleBandwidth is { } bandwidth)
        {
            if (!(bandwidth > 0) || !double.IsFinite(bandwidth))
            {
                problems.Add($"scaleBandwidth: must be positive and finite (got {bandwidth.ToString(CultureInfo.InvariantCulture)})");
            }
        }

        if (Levels is null || Levels.Count == 0)
        {
            problems.Add("levels: must list at least one level");
            return problems;
        }

        var seen = new HashSet<string>();
        for (var i = 0; i < Levels.Count; i++)
        {
            if (!(Levels[i] > 0 && Levels[i] < 1))
            {
                problems.Add($"levels[{i}]: must be in (0, 1) (got {LevelKey(Levels[i])})");
            }
            else if (!seen.Add(LevelKey(Levels[i])))
            {
                problems.Add($"levels[{i}]: repeats level {LevelKey(Levels[i])}");
            }
        }

        return problems;
    }
}
