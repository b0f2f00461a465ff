using System.Text.Json.Serialization;
using ConR.Shared.Imbalance;

namespace ConR.Shared.Calibration;

/// <summary>
/// Split-conformal, Mondrian-by-range calibration of a regression model. Keyed by prediction (the schema-1 kind):
/// per range of ŷ, a half-width q per level such that [ŷ − q, ŷ + q] covers the true label with the level's
/// probability on data like the validation set (or the mix it was weighted to). Keyed by label: per range of the true
/// label y, the largest residual q that range allows, and the interval is the hull of the labels ŷ is consistent with
/// (label-conditional, so coverage holds for every true-label range). Built by <see cref="ConformalCalibrator"/>;
/// stored in the model card.
/// </summary>
/// <param name="Options">The grid, key and levels the table was fitted with.</param>
/// <param name="Ranges">Calibrated ranges, sorted by From, not overlapping; there may be gaps where no
/// validation sample fell.</param>
/// <param name="LabelMin">Smallest possible label (0 years, 0 m); intervals are clipped to it.</param>
/// <param name="LabelMax">Largest possible label; &gt; LabelMin; intervals are clipped to it.</param>
/// <param name="Scale">Label-keyed tables only: the difficulty curve s(y) the residuals were divided by, so a label y
/// allows |y − ŷ| ≤ q·s(y); null for plain residuals (every table before it).</param>
public sealed record CalibrationTable(
    CalibrationOptions Options,
    IReadOnlyList<CalibrationRange> Ranges,
    double LabelMin,
    double LabelMax,
    LabelScale? Scale = null)
{
    /// <summary>Gets a value indicating whether the ranges partition the true label (<see cref="CalibrationKeys.Label"/>).</summary>
    [JsonIgnore]
    public bool IsLabelKeyed => Options?.KeyedBy == CalibrationKeys.Label;

    /// <summary>
    /// The range <paramref name="value"/> falls in on the table's key: a prediction for a prediction-keyed table, a true
    /// label for a label-keyed one. Nothing is extrapolated: a value below the first range uses the first, above the
    /// last uses the last, and one in a gap between ranges uses the nearer of the two (the lower one on a tie). Edges
    /// follow <see cref="LabelBins.BinOf"/>: a value within 1e-9 widths below an edge counts as on it.
    /// </summary>
    /// <exception cref="ArgumentException">The value is NaN.</exception>
    public CalibrationRange RangeFor(double value) => Ranges[IndexOf(value)];

    /// <summary>
    /// The interval of <paramref name="level"/> around <paramref name="prediction"/>, both ends clamped into
    /// [LabelMin, LabelMax]. Keyed by prediction: [ŷ − q, ŷ + q] with q from <see cref="RangeFor"/> (a prediction far
    /// outside the label range gets a collapsed interval at the nearer bound). Keyed by label: the hull of the labels y
    /// with |y − ŷ| ≤ q of y's range (times s(y) with a <see cref="Scale"/>), which may be asymmetric around ŷ.
    /// </summary>
    /// <exception cref="ArgumentException">The level was not calibrated (the message lists those that were), or the prediction is NaN.</exception>
    public PredictionInterval Interval(double prediction, double level)
    {
        var key = KeyFor(level);
        if (IsLabelKeyed)
        {
            if (double.IsNaN(prediction))
            {
                throw new ArgumentException("Prediction must not be NaN.", nameof(prediction));
            }

            RequireRanges();
            var (low, high) = new LabelConditionalBounds(this, key).Of(prediction);
            return new PredictionInterval(low, high, level, null);
        }

        var range = RangeFor(prediction);
        var (lower, upper) = Bounds(prediction, HalfWidthOf(range, key));
        return new PredictionInterval(lower, upper, level, range);
    }

    /// <summary>
    /// Writes, for each prediction (e.g. each pixel of a depth map), the half-width h of <paramref name="level"/> such
    /// that ŷ ± h is the interval or contains it: keyed by prediction the unclipped q of <see cref="RangeFor"/>; keyed
    /// by label max(ŷ − lower, upper − ŷ) of <see cref="Interval"/>. A NaN prediction gets NaN rather than failing the
    /// whole map. Allocates only a per-range table, never per element.
    /// </summary>
    /// <param name="predictions">ŷ per element, in label units.</param>
    /// <param name="level">A calibrated level, e.g. 0.9.</param>
    /// <param name="destination">Same length as <paramref name="predictions"/>; receives q in label units.</param>
    /// <exception cref="ArgumentException">Lengths differ, or the level was not calibrated.</exception>
    public void HalfWidths(ReadOnlySpan<float> predictions, double level, Span<float> destination)
    {
        if (predictions.Length != destination.Length)
        {
            throw new ArgumentException($"Got {predictions.Length} predictions for a destination of {destination.Length}.", nameof(destination));
        }

        var key = KeyFor(level);
        if (IsLabelKeyed)
        {
            RequireRanges();
            var bounds = new LabelConditionalBounds(this, key);
            for (var i = 0; i < predictions.Length; i++)
            {
                var p = predictions[i];
                if (float.IsNaN(p))
                {
                    destination[i] = float.NaN;
                    continue;
                }

                var (lower, upper) = bounds.Of(p);
                destination[i] = (float)Math.Max(p - lower, upper - p);
            }

            return;
        }

        var perRange = new float[Ranges.Count];
        for (var r = 0; r < perRange.Length; r++)
        {
            perRange[r] = (float)HalfWidthOf(Ranges[r], key);
        }

        for (var i = 0; i < predictions.Length; i++)
        {
            var p = predictions[i];
            destination[i] = float.IsNaN(p) ? float.NaN : perRange[IndexOf(p)];
        }
    }

    /// <summary>The problems that make this table unusable, as "field: what is wrong" with camelCase JSON paths; empty when valid.</summary>
    public IReadOnlyList<string> Validate() => CalibrationTableValidator.Problems(this);

    // [ŷ − q, ŷ + q] clamped into the label range; shared with CoverageEvaluator so both measure the same thing.
    internal (double Lower, double Upper) Bounds(double prediction, double halfWidth) =>
        (Math.Clamp(prediction - halfWidth, LabelMin, LabelMax), Math.Clamp(prediction + halfWidth, LabelMin, LabelMax));

    // Index into Ranges by bin index of the prediction, so lookups agree with how Fit grouped samples.
    internal int IndexOf(double prediction)
    {
        if (double.IsNaN(prediction))
        {
            throw new ArgumentException("Prediction must not be NaN.", nameof(prediction));
        }

        RequireRanges();
        var bin = LabelBins.FloorIndex(prediction, Options.RangeStart, Options.RangeWidth);

        // Last range whose first bin is <= bin.
        int lo = 0, hi = Ranges.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (FirstBin(Ranges[mid]) <= bin)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        if (found < 0 || found == Ranges.Count - 1 || bin <= LastBin(Ranges[found]))
        {
            return Math.Max(found, 0);
        }

        // In a gap: the nearer neighbour, the lower one on a tie.
        var below = prediction - Ranges[found].To;
        var above = Ranges[found + 1].From - prediction;
        return below <= above ? found : found + 1;
    }

    // The key of a calibrated level; an uncalibrated one is a caller error worth a helpful message.
    internal string KeyFor(double level)
    {
        var key = CalibrationOptions.LevelKey(level);
        foreach (var calibrated in Options.Levels)
        {
            if (CalibrationOptions.LevelKey(calibrated) == key)
            {
                return key;
            }
        }

        throw new ArgumentException(
            $"Level {key} is not calibrated; available levels: {string.Join(", ", Options.Levels.Select(CalibrationOptions.LevelKey))}.",
            nameof(level));
    }

    internal static double HalfWidthOf(CalibrationRange range, string key) =>
        range.HalfWidths.TryGetValue(key, out var q)
            ? q
            : throw new InvalidOperationException(
                $"Calibration range [{range.From}, {range.To}) has no half-width for level {key}; it has: {string.Join(", ", range.HalfWidths.Keys)}.");

    private void RequireRanges()
    {
        if (Ranges.Count == 0)
        {
            throw new InvalidOperationException("The calibration table has no ranges.");
        }
    }

    private long FirstBin(CalibrationRange range) => (long)Math.Round((range.From - Options.RangeStart) / Options.RangeWidth);

    private long LastBin(CalibrationRange range) => (long)Math.Round((range.To - Options.RangeStart) / Options.RangeWidth) - 1;
}
