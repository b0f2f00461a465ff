using System.Numerics;

namespace ConR.Shared.Calibration;

/// <summary>Measures the empirical coverage of a <see cref="CalibrationTable"/> on a test split.</summary>
public static class CoverageEvaluator
{
    /// <summary>
    /// For every calibrated level, the fraction of samples whose true label lies in
    /// <see cref="CalibrationTable.Interval"/> (clipped, ends inclusive), overall and per calibration range
    /// (samples are assigned to ranges by prediction, as at serving time).
    /// </summary>
    /// <param name="table">The fitted table.</param>
    /// <param name="predictions">ŷ on the test split, in label units; finite.</param>
    /// <param name="labels">y, same length; finite.</param>
    /// <exception cref="ArgumentException">Lengths differ, or a non-finite value.</exception>
    public static CoverageReport Measure(CalibrationTable table, IReadOnlyList<double> predictions, IReadOnlyList<double> labels)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(labels);
        double[] p = [.. predictions];
        double[] y = [.. labels];
        return MeasureCore<double>(table, p, y);
    }

    /// <summary>Per-pixel version for depth maps (flattened valid pixels).</summary>
    /// <inheritdoc cref="Measure(CalibrationTable, IReadOnlyList{double}, IReadOnlyList{double})"/>
    public static CoverageReport Measure(CalibrationTable table, ReadOnlySpan<float> predictions, ReadOnlySpan<float> labels) =>
        MeasureCore(table, predictions, labels);

    private static CoverageReport MeasureCore<T>(CalibrationTable table, ReadOnlySpan<T> predictions, ReadOnlySpan<T> labels)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(table);
        if (predictions.Length != labels.Length)
        {
            throw new ArgumentException($"Got {predictions.Length} predictions for {labels.Length} labels.", nameof(labels));
        }

        var levels = table.Options.Levels;
        var keys = levels.Select(table.KeyFor).ToArray();
        var rangeCount = table.Ranges.Count;

        // q[r, l] resolved once so the per-sample loop is table lookups only.
        var halfWidths = new double[rangeCount, keys.Length];
        for (var r = 0; r < rangeCount; r++)
        {
            for (var l = 0; l < keys.Length; l++)
            {
                halfWidths[r, l] = table.Ranges[r].HalfWidths.TryGetValue(keys[l], out var q)
                    ? q
                    : throw new InvalidOperationException($"Calibration range {r} has no half-width for level {keys[l]}.");
            }
        }

        var counts = new int[rangeCount];
        var hits = new long[rangeCount, keys.Length];
        for (var i = 0; i < predictions.Length; i++)
        {
            var p = double.CreateChecked(predictions[i]);
            var y = double.CreateChecked(labels[i]);
            if (!double.IsFinite(p) || !double.IsFinite(y))
            {
                throw new ArgumentException($"Sample {i} has prediction {p} and label {y}; coverage needs finite values.", nameof(predictions));
            }

            var r = table.IndexOf(p);
            counts[r]++;
            for (var l = 0; l < keys.Length; l++)
            {
                var (lower, upper) = table.Bounds(p, halfWidths[r, l]);
                if (lower <= y && y <= upper)
                {
                    hits[r, l]++;
                }
            }
        }

        var ranges = new RangeCoverage[rangeCount];
        var total = new long[keys.Length];
        for (var r = 0; r < rangeCount; r++)
        {
            var coverage = new Dictionary<string, double>(keys.Length);
            for (var l = 0; l < keys.Length; l++)
            {
                coverage[keys[l]] = Fraction(hits[r, l], counts[r]);
                total[l] += hits[r, l];
            }

            ranges[r] = new RangeCoverage(table.Ranges[r].From, table.Ranges[r].To, counts[r], coverage);
        }

        var overall = new Dictionary<string, double>(keys.Length);
        for (var l = 0; l < keys.Length; l++)
        {
            overall[keys[l]] = Fraction(total[l], predictions.Length);
        }

        return new CoverageReport(overall, ranges);
    }

    private static double Fraction(long hits, long count) => count == 0 ? double.NaN : (double)hits / count;
}
