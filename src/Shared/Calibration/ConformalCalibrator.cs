using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using ConR.Shared.Imbalance;

namespace ConR.Shared.Calibration;

/// <summary>
/// Fits a <see cref="CalibrationTable"/> by split-conformal prediction, Mondrian by range: validation samples are
/// grouped by the grid range their prediction ŷ (or, with <see cref="CalibrationKeys.Label"/>, their true label y)
/// falls in, and each group's half-width for level a is the conformal quantile of its absolute residuals |y − ŷ|:
/// the k-th smallest with k = ⌈(n + 1)·a⌉, found exactly by selection (no histogram, no full sort). With importance
/// weights (a label mix other than the validation split's), the weighted quantile of <see cref="WeightedConformal"/>.
/// </summary>
/// <remarks>
/// Keyed by ŷ, the group of a test sample is known at serving time, and within a group validation and test samples
/// are exchangeable, so coverage holds per predicted range. Keyed by y, coverage holds per true-label range, whatever
/// the label mix; the interval is then the set of labels consistent with ŷ (<see cref="CalibrationTable.Interval"/>).
/// A range with fewer than <see cref="CalibrationOptions.MinSamplesPerRange"/> samples (effective samples, when
/// weighted) is merged with a neighbour (see <see cref="CalibrationRange.MergedFrom"/>); with fewer than that in
/// total, the table has one global range. Ranges are never invented: where no validation sample fell, lookups use
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
        return FitCore<double>(predictions, labels, [], options, labelMin, labelMax);
    }

    /// <summary>
    /// Fits per-sample predictions with an importance weight per sample, e.g. p_train(y) / p_val(y) from
    /// <see cref="LabelShiftWeights"/> to calibrate for the training label mix.
    /// </summary>
    /// <param name="valPredictions">ŷ on the validation split, in label units; finite.</param>
    /// <param name="valLabels">y, same length; finite.</param>
    /// <param name="weights">Weight per sample, same length; finite, non-negative, with a positive sum.</param>
    /// <param name="options">Grid, key, levels, and minimum effective samples per range.</param>
    /// <param name="labelMin">Smallest possible label; intervals are clipped to it.</param>
    /// <param name="labelMax">Largest possible label; &gt; <paramref name="labelMin"/>.</param>
    /// <exception cref="ArgumentException">Lengths differ, no samples, a non-finite value or bad weight, invalid options or label range.</exception>
    public static CalibrationTable Fit(
        IReadOnlyList<double> valPredictions,
        IReadOnlyList<double> valLabels,
        IReadOnlyList<double> weights,
        CalibrationOptions options,
        double labelMin,
        double labelMax)
    {
        ArgumentNullException.ThrowIfNull(valPredictions);
        ArgumentNullException.ThrowIfNull(valLabels);
        ArgumentNullException.ThrowIfNull(weights);
        double[] predictions = [.. valPredictions];
        double[] labels = [.. valLabels];
        double[] w = [.. weights];
        RequireWeights<double>(w, predictions.Length);
        return FitCore<double>(predictions, labels, w, options, labelMin, labelMax);
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
        FitCore(valPredictions, valLabels, [], options, labelMin, labelMax);

    /// <summary>Per-pixel version of the weighted fit (depth).</summary>
    /// <inheritdoc cref="Fit(IReadOnlyList{double}, IReadOnlyList{double}, IReadOnlyList{double}, CalibrationOptions, double, double)"/>
    public static CalibrationTable Fit(
        ReadOnlySpan<float> valPredictions,
        ReadOnlySpan<float> valLabels,
        ReadOnlySpan<float> weights,
        CalibrationOptions options,
        double labelMin,
        double labelMax)
    {
        RequireWeights(weights, valPredictions.Length);
        return FitCore(valPredictions, valLabels, weights, options, labelMin, labelMax);
    }

    /// <summary>The 1-based conformal rank ⌈(n + 1)·level⌉ (may exceed n; the caller caps it).</summary>
    internal static long ConformalRank(int n, double level)
    {
        var exact = (n + 1.0) * level;
        return (long)Math.Ceiling(exact - (exact * RankSlack));
    }

    // An empty weights span means unweighted: the exact selection path of schema-1 tables.
    private static CalibrationTable FitCore<T>(
        ReadOnlySpan<T> predictions,
        ReadOnlySpan<T> labels,
        ReadOnlySpan<T> weights,
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

        // Pass 1: samples (and weight sums) per occupied grid range.
        var weighted = !weights.IsEmpty;
        var byLabel = options.KeyedBy == CalibrationKeys.Label;
        var bins = new Dictionary<long, RangeGroup>();
        for (var i = 0; i < predictions.Length; i++)
        {
            if (!T.IsFinite(predictions[i]) || !T.IsFinite(labels[i]))
            {
                throw new ArgumentException($"Sample {i} has prediction {predictions[i]} and label {labels[i]}; calibration needs finite values.", nameof(predictions));
            }

            var bin = BinOf(byLabel ? labels[i] : predictions[i], options);
            var w = weighted ? double.CreateChecked(weights[i]) : 1;
            ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(bins, bin, out var exists);
            group = exists
                ? group with { Count = group.Count + 1, SumW = group.SumW + w, SumW2 = group.SumW2 + (w * w) }
                : new RangeGroup(bin, bin, 1, 1, w, w * w);
        }

        var occupied = bins.OrderBy(pair => pair.Key).Select(pair => pair.Value).ToList();
        var groups = RangeMerger.Merge(occupied, options.MinSamplesPerRange);

        // Pass 2: residuals scattered into one buffer, one contiguous segment per group.
        var offsets = new int[groups.Count + 1];
        for (var g = 0; g < groups.Count; g++)
        {
            offsets[g + 1] = offsets[g] + groups[g].Count;
        }

        // Normalised (label-keyed tables with a bandwidth): scores |y − ŷ| / s(y), so q is in units of s.
        var scale = byLabel && options.ScaleBandwidth is { } bandwidth
            ? LabelScaleFitter.Fit(predictions, labels, options.RangeWidth / CalibrationOptions.ScaleCellsPerRange, bandwidth)
            : null;
        var cursor = offsets[..^1];
        var residuals = new T[predictions.Length];
        var sampleWeights = weighted ? new T[predictions.Length] : [];
        for (var i = 0; i < predictions.Length; i++)
        {
            var g = GroupOf(groups, BinOf(byLabel ? labels[i] : predictions[i], options));
            if (weighted)
            {
                sampleWeights[cursor[g]] = weights[i];
            }

            var residual = T.Abs(labels[i] - predictions[i]);
            residuals[cursor[g]++] = scale is null ? residual : residual / T.CreateChecked(scale.At(double.CreateChecked(labels[i])));
        }

        var ranges = new CalibrationRange[groups.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var segment = residuals.AsSpan(offsets[g], group.Count);
            var (halfWidths, capped, effective) = weighted
                ? WeightedConformal.HalfWidths(segment, sampleWeights.AsSpan(offsets[g], group.Count), options.Levels)
                : Unweighted(segment, options.Levels);
            ranges[g] = new CalibrationRange(
                options.RangeStart + (group.FirstBin * options.RangeWidth),
                options.RangeStart + ((group.LastBin + 1) * options.RangeWidth),
                group.Count,
                halfWidths,
                group.MergedFrom,
                capped,
                weighted ? effective : null);
        }

        var fitted = byLabel ? options : options with { ScaleBandwidth = null };
        return new CalibrationTable(fitted, ranges, labelMin, labelMax, scale);
    }

    private static (Dictionary<string, double> HalfWidths, bool Capped, double EffectiveCount) Unweighted<T>(Span<T> residuals, IReadOnlyList<double> levels)
        where T : struct, IFloatingPointIeee754<T>
    {
        var (halfWidths, capped) = HalfWidths(residuals, levels);
        return (halfWidths, capped, residuals.Length);
    }

    // Weights must be usable before any grouping: one bad weight would silently skew a whole range.
    private static void RequireWeights<T>(ReadOnlySpan<T> weights, int count)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (weights.Length != count)
        {
            throw new ArgumentException($"Got {weights.Length} weights for {count} samples.", nameof(weights));
        }

        var total = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            var w = double.CreateChecked(weights[i]);
            if (!double.IsFinite(w) || w < 0)
            {
                throw new ArgumentException($"Weight {i} is {w.ToString(CultureInfo.InvariantCulture)}; weights must be finite and non-negative.", nameof(weights));
            }

            total += w;
        }

        if (!(total > 0))
        {
            throw new ArgumentException("The weights sum to zero: no sample carries any weight.", nameof(weights));
        }
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

    private static long BinOf<T>(T value, CalibrationOptions options)
        where T : struct, IFloatingPointIeee754<T> =>
        LabelBins.FloorIndex(double.CreateChecked(value), options.RangeStart, options.RangeWidth);

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
