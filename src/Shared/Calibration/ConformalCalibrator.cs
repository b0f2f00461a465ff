using System.Numerics;
using System.Runtime.InteropServices;
using ConR.Shared.Imbalance;

namespace ConR.Shared.Calibration;

/// <summary>
/// Fits a <see cref="CalibrationTable"/> by split-conformal prediction, Mondrian by range of the prediction:
/// validation samples are grouped by the grid range their prediction ŷ falls in, and each group's half-width
/// for level a is the conformal quantile of its absolute residuals |y − ŷ|: the k-th smallest with
/// k = ⌈(n + 1)·a⌉, found exactly by selection (no histogram, no full sort).
/// </summary>
/// <remarks>
/// Grouping by ŷ (not y) is what makes the intervals usable at serving time, where y is unknown; within a
/// group, validation and test samples are exchangeable, so coverage holds per range, not only on average.
/// A range with fewer than <see cref="CalibrationOptions.MinSamplesPerRange"/> samples is merged with a
/// neighbour (see <see cref="CalibrationRange.MergedFrom"/>); with fewer samples than that in total, the
/// table has one global range. Ranges are never invented: where no validation prediction fell, lookups use
/// the nearest calibrated range (<see cref="CalibrationTable.RangeFor"/>).
/// </remarks>
public static class ConformalCalibrator
{
    // Levels are decimals such as 0.95 whose binary form is slightly off, so (n + 1)·a can land a hair above
    // an integer it equals exactly; this relative slack keeps ⌈·⌉ from adding one.
    private const double RankSlack = 1e-12;

    /// <summary>Fits per-sample predictions (age: one per face).</summary>
    /// <param name="valPredictions">ŷ on the validation split, in label units; finite.</param>
    /// <param name="valLabels">y, same length; finite.</param>
    /// <param name="options">Grid, levels, and minimum samples per range.</param>
    /// <param name="labelMin">Smallest possible label; intervals are clipped to it.</param>
    /// <param name="labelMax">Largest possible label; &gt; <paramref name="labelMin"/>.</param>
    /// <exception cref="ArgumentException">Lengths differ, no samples, a non-finite value, invalid options or label range.</exception>
    public static CalibrationTable Fit(
        IReadOnlyList<double> valPredictions,
        IReadOnlyList<double> valLabels,
        CalibrationOptions options,
        double labelMin,
        double labelMax)
    {
        ArgumentNullException.ThrowIfNull(valPredictions);
        ArgumentNullException.ThrowIfNull(valLabels);
        double[] predictions = [.. valPredictions];
        double[] labels = [.. valLabels];
        return FitCore<double>(predictions, labels, options, labelMin, labelMax);
    }

    /// <summary>
    /// Fits per-pixel predictions (depth: millions of valid pixels, flattened, invalid pixels already removed).
    /// Memory: one float per sample for the residuals plus a small per-range table.
    /// </summary>
    /// <inheritdoc cref="Fit(IReadOnlyList{double}, IReadOnlyList{double}, CalibrationOptions, double, double)"/>
    public static CalibrationTable Fit(
        ReadOnlySpan<float> valPredictions,
        ReadOnlySpan<float> valLabels,
        CalibrationOptions options,
        double labelMin,
        double labelMax) =>
        FitCore(valPredictions, valLabels, options, labelMin, labelMax);

    /// <summary>The 1-based conformal rank ⌈(n + 1)·level⌉ (may exceed n; the caller caps it).</summary>
    internal static long ConformalRank(int n, double level)
    {
        var exact = (n + 1.0) * level;
        return (long)Math.Ceiling(exact - (exact * RankSlack));
    }

    private static CalibrationTable FitCore<T>(
        ReadOnlySpan<T> predictions,
        ReadOnlySpan<T> labels,
        CalibrationOptions options,
        double labelMin,
        double labelMax)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(options);
        var optionProblems = options.Validate();
        if (optionProblems.Count > 0)
        {
            throw new ArgumentException($"Invalid calibration options: {string.Join("; ", optionProblems)}.", nameof(options));
        }

        if (!double.IsFinite(labelMin) || !double.IsFinite(labelMax) || !(labelMin < labelMax))
        {
            throw new ArgumentException($"Label range must be finite with min < max (got {labelMin} and {labelMax}).", nameof(labelMax));
        }

        if (predictions.Length != labels.Length)
        {
            throw new ArgumentException($"Got {predictions.Length} predictions for {labels.Length} labels.", nameof(labels));
        }

        if (predictions.Length == 0)
        {
            throw new ArgumentException("Calibration needs at least one validation sample.", nameof(predictions));
        }

        // Pass 1: samples per occupied grid range.
        var counts = new Dictionary<long, int>();
        for (var i = 0; i < predictions.Length; i++)
        {
            if (!T.IsFinite(predictions[i]) || !T.IsFinite(labels[i]))
            {
                throw new ArgumentException($"Sample {i} has prediction {predictions[i]} and label {labels[i]}; calibration needs finite values.", nameof(predictions));
            }

            CollectionsMarshal.GetValueRefOrAddDefault(counts, BinOf(predictions[i], options), out _)++;
        }

        var occupied = counts.OrderBy(pair => pair.Key).Select(pair => new RangeGroup(pair.Key, pair.Key, pair.Value, 1)).ToList();
        var groups = RangeMerger.Merge(occupied, options.MinSamplesPerRange);

        // Pass 2: residuals scattered into one buffer, one contiguous segment per group.
        var offsets = new int[groups.Count + 1];
        for (var g = 0; g < groups.Count; g++)
        {
            offsets[g + 1] = offsets[g] + groups[g].Count;
        }

        var cursor = offsets[..^1];
        var residuals = new T[predictions.Length];
        for (var i = 0; i < predictions.Length; i++)
        {
            var g = GroupOf(groups, BinOf(predictions[i], options));
            residuals[cursor[g]++] = T.Abs(labels[i] - predictions[i]);
        }

        var ranges = new CalibrationRange[groups.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var (halfWidths, capped) = HalfWidths(residuals.AsSpan(offsets[g], group.Count), options.Levels);
            ranges[g] = new CalibrationRange(
                options.RangeStart + (group.FirstBin * options.RangeWidth),
                options.RangeStart + ((group.LastBin + 1) * options.RangeWidth),
                group.Count,
                halfWidths,
                group.MergedFrom,
                capped);
        }

        return new CalibrationTable(options, ranges, labelMin, labelMax);
    }

    // Conformal quantile per level. Levels are visited by increasing rank so each selection only scans the
    // part above the previous one.
    private static (Dictionary<string, double> HalfWidths, bool Capped) HalfWidths<T>(Span<T> residuals, IReadOnlyList<double> levels)
        where T : struct, IFloatingPointIeee754<T>
    {
        var n = residuals.Length;
        var capped = false;
        var halfWidths = new Dictionary<string, double>(levels.Count);
        var done = 0;
        foreach (var level in levels.OrderBy(level => level))
        {
            var rank = ConformalRank(n, level);
            if (rank > n)
            {
                // Too few samples for this level: the largest residual is the best the data can say.
                capped = true;
                rank = n;
            }

            var index = (int)Math.Max(rank, 1) - 1;
            var value = QuickSelect.Select(residuals[done..], index - done);
            done = index;
            halfWidths[CalibrationOptions.LevelKey(level)] = double.CreateChecked(value);
        }

        return (halfWidths, capped);
    }

    private static long BinOf<T>(T prediction, CalibrationOptions options)
        where T : struct, IFloatingPointIeee754<T> =>
        LabelBins.FloorIndex(double.CreateChecked(prediction), options.RangeStart, options.RangeWidth);

    // Groups are sorted and disjoint, and every occupied bin belongs to one.
    private static int GroupOf(List<RangeGroup> groups, long bin)
    {
        int lo = 0, hi = groups.Count - 1;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo + 1) / 2);
            if (groups[mid].FirstBin <= bin)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }
}
