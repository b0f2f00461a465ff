using System.Globalization;
using System.Numerics;
using ConR.Shared.Imbalance;
using ConR.Shared.Metrics;
using ConR.Shared.ModelPackage;

namespace ConR.Shared.Calibration;

/// <summary>Measures the empirical coverage and width of a <see cref="CalibrationTable"/>'s intervals on a test split.</summary>
public static class CoverageEvaluator
{
    /// <summary>
    /// For every calibrated level, the fraction of samples whose true label lies in
    /// <see cref="CalibrationTable.Interval"/> (clipped, ends inclusive), overall and per calibration range (samples
    /// are assigned on the table's key: by prediction as at serving time, or by true label), and the median half-width.
    /// </summary>
    /// <param name="table">The fitted table.</param>
    /// <param name="predictions">ŷ on the test split, in label units; finite.</param>
    /// <param name="labels">y, same length; finite.</param>
    /// <exception cref="ArgumentException">Lengths differ, or a non-finite value.</exception>
    public static CoverageReport Measure(CalibrationTable table, IReadOnlyList<double> predictions, IReadOnlyList<double> labels) =>
        Measure(table, predictions, labels, shots: null, weights: null);

    /// <summary>
    /// As the unweighted overload, also per true-label shot (<paramref name="shots"/>), and, with
    /// <paramref name="weights"/>, importance-weighted: each test sample counts w (e.g. p_train(y) / p_test(y) from
    /// <see cref="LabelShiftWeights"/>), so the fractions are those of a test split with the target label mix.
    /// </summary>
    /// <param name="table">The fitted table.</param>
    /// <param name="predictions">ŷ on the test split, in label units; finite.</param>
    /// <param name="labels">y, same length; finite.</param>
    /// <param name="shots">The shot of a true label; null to skip the per-shot breakdown.</param>
    /// <param name="weights">A weight per sample (finite, non-negative), or null for unweighted.</param>
    /// <exception cref="ArgumentException">Lengths differ, or a non-finite value or bad weight.</exception>
    public static CoverageReport Measure(
        CalibrationTable table,
        IReadOnlyList<double> predictions,
        IReadOnlyList<double> labels,
        LabelShots? shots,
        IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(labels);
        double[] p = [.. predictions];
        double[] y = [.. labels];
        double[] w = weights is null ? [] : [.. weights];
        if (weights is not null && w.Length != p.Length)
        {
            throw new ArgumentException($"Got {w.Length} weights for {p.Length} samples.", nameof(weights));
        }

        return MeasureCore<double>(table, p, y, w, shots);
    }

    /// <summary>Per-pixel version for depth maps (flattened valid pixels).</summary>
    /// <inheritdoc cref="Measure(CalibrationTable, IReadOnlyList{double}, IReadOnlyList{double})"/>
    public static CoverageReport Measure(CalibrationTable table, ReadOnlySpan<float> predictions, ReadOnlySpan<float> labels) =>
        MeasureCore(table, predictions, labels, [], shots: null);

    /// <summary>Per-pixel version for depth maps (flattened valid pixels); an empty <paramref name="weights"/> means unweighted.</summary>
    /// <inheritdoc cref="Measure(CalibrationTable, IReadOnlyList{double}, IReadOnlyList{double}, LabelShots?, IReadOnlyList{double}?)"/>
    public static CoverageReport Measure(
        CalibrationTable table,
        ReadOnlySpan<float> predictions,
        ReadOnlySpan<float> labels,
        LabelShots? shots,
        ReadOnlySpan<float> weights)
    {
        if (!weights.IsEmpty && weights.Length != predictions.Length)
        {
            throw new ArgumentException($"Got {weights.Length} weights for {predictions.Length} samples.", nameof(weights));
        }

        return MeasureCore(table, predictions, labels, weights, shots);
    }

    private static CoverageReport MeasureCore<T>(
        CalibrationTable table,
        ReadOnlySpan<T> predictions,
        ReadOnlySpan<T> labels,
        ReadOnlySpan<T> weights,
        LabelShots? shots)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(table);
        if (predictions.Length != labels.Length)
        {
            throw new ArgumentException($"Got {predictions.Length} predictions for {labels.Length} labels.", nameof(labels));
        }

        var weighted = !weights.IsEmpty;
        var n = predictions.Length;
        var keys = table.Options.Levels.Select(table.KeyFor).ToArray();
        var intervals = new IntervalLookup(table, keys);
        var ranges = NewTallies(table.Ranges.Count, keys.Length);
        var byShot = NewTallies(3, keys.Length);
        var byPrediction = new SortedDictionary<long, CoverageTally>();
        var overall = new CoverageTally(keys.Length);

        // Half-widths level-major, for the medians; shot codes and weights alongside.
        var halfWidths = new float[keys.Length * n];
        var sampleShots = shots is null ? [] : new byte[n];
        var sampleWeights = weighted ? new float[n] : [];
        Span<bool> covered = stackalloc bool[keys.Length];
        for (var i = 0; i < n; i++)
        {
            var p = double.CreateChecked(predictions[i]);
            var y = double.CreateChecked(labels[i]);
            if (!double.IsFinite(p) || !double.IsFinite(y))
            {
                throw new ArgumentException($"Sample {i} has prediction {p} and label {y}; coverage needs finite values.", nameof(predictions));
            }

            var w = weighted ? double.CreateChecked(weights[i]) : 1;
            if (!double.IsFinite(w) || w < 0)
            {
                throw new ArgumentException($"Weight {i} is {w.ToString(CultureInfo.InvariantCulture)}; weights must be finite and non-negative.", nameof(weights));
            }

            var r = table.IndexOf(table.IsLabelKeyed ? y : p);
            for (var l = 0; l < keys.Length; l++)
            {
                var (lower, upper) = intervals.Of(p, r, l);
                covered[l] = lower <= y && y <= upper;
                halfWidths[(l * n) + i] = (float)((upper - lower) / 2);
            }

            overall.Add(w, covered);
            ranges[r].Add(w, covered);
            if (shots is not null)
            {
                var shot = shots.Of(y);
                sampleShots[i] = (byte)shot;
                byShot[(int)shot].Add(w, covered);
            }

            if (table.IsLabelKeyed)
            {
                var bin = LabelBins.FloorIndex(p, table.Options.RangeStart, table.Options.RangeWidth);
                if (!byPrediction.TryGetValue(bin, out var tally))
                {
                    byPrediction[bin] = tally = new CoverageTally(keys.Length);
                }

                tally.Add(w, covered);
            }

            if (weighted)
            {
                sampleWeights[i] = (float)w;
            }
        }

        var medians = Medians(halfWidths, sampleWeights, sampleShots, keys);
        return new CoverageReport(
            overall.Coverage(keys),
            [.. table.Ranges.Select((range, r) => new RangeCoverage(range.From, range.To, ranges[r].Count, ranges[r].Coverage(keys), ranges[r].EffectiveCount(weighted)))],
            shots is null
                ? null
                : [.. Enum.GetValues<Shot>().Select(shot => new ShotCoverage(
                    ShotLabels.ToLabel(shot),
                    byShot[(int)shot].Count,
                    byShot[(int)shot].Coverage(keys),
                    medians.ByShot[(int)shot],
                    byShot[(int)shot].EffectiveCount(weighted)))],
            medians.Overall,
            table.IsLabelKeyed
                ? [.. byPrediction.Select(pair => new RangeCoverage(
                    table.Options.RangeStart + (pair.Key * table.Options.RangeWidth),
                    table.Options.RangeStart + ((pair.Key + 1) * table.Options.RangeWidth),
                    pair.Value.Count,
                    pair.Value.Coverage(keys),
                    pair.Value.EffectiveCount(weighted)))]
                : null,
            weighted);
    }

    private static CoverageTally[] NewTallies(int count, int levels) =>
        [.. Enumerable.Range(0, count).Select(_ => new CoverageTally(levels))];

    // The (weighted) median half-width per level, overall and per shot (when shots were classified).
    private static (Dictionary<string, double> Overall, Dictionary<string, double>[] ByShot) Medians(
        float[] halfWidths, float[] weights, byte[] shots, string[] keys)
    {
        var n = halfWidths.Length / Math.Max(keys.Length, 1);
        var overall = new Dictionary<string, double>(keys.Length);
        var byShot = new Dictionary<string, double>[3];
        for (var s = 0; s < byShot.Length; s++)
        {
            byShot[s] = new Dictionary<string, double>(keys.Length);
        }

        for (var l = 0; l < keys.Length; l++)
        {
            var level = halfWidths.AsSpan(l * n, n);
            overall[keys[l]] = WeightedMedian.Of(level.ToArray(), weights.ToArray());
            if (shots.Length == 0)
            {
                continue;
            }

            for (var s = 0; s < byShot.Length; s++)
            {
                var values = new List<float>();
                var shotWeights = new List<float>();
                for (var i = 0; i < n; i++)
                {
                    if (shots[i] == s)
                    {
                        values.Add(level[i]);
                        if (weights.Length > 0)
                        {
                            shotWeights.Add(weights[i]);
                        }
                    }
                }

                byShot[s][keys[l]] = WeightedMedian.Of(values.ToArray(), shotWeights.ToArray());
            }
        }

        return (overall, byShot);
    }

    // The interval of a sample at each level, resolved once per table so the per-sample loop is lookups only.
    private sealed class IntervalLookup
    {
        private readonly CalibrationTable table;
        private readonly double[,] halfWidths;
        private readonly LabelConditionalBounds[] labelBounds;

        public IntervalLookup(CalibrationTable table, string[] keys)
        {
            this.table = table;
            halfWidths = new double[table.Ranges.Count, keys.Length];
            labelBounds = table.IsLabelKeyed ? [.. keys.Select(key => new LabelConditionalBounds(table, key))] : [];
            for (var r = 0; r < table.Ranges.Count; r++)
            {
                for (var l = 0; l < keys.Length; l++)
                {
                    halfWidths[r, l] = CalibrationTable.HalfWidthOf(table.Ranges[r], keys[l]);
                }
            }
        }

        public (double Lower, double Upper) Of(double prediction, int range, int level) =>
            table.IsLabelKeyed ? labelBounds[level].Of(prediction) : table.Bounds(prediction, halfWidths[range, level]);
    }
}
