using ConR.Shared.Imbalance;

namespace ConR.Shared.Metrics;

/// <summary>Error per true-label range (e.g. 5-year age bands).</summary>
public static class RangeErrors
{
    /// <summary>
    /// Groups samples by true label into [start + k·binWidth, start + (k+1)·binWidth) and returns
    /// every range from the lowest to the highest label present, in order, empty ranges included.
    /// Labels below <paramref name="start"/> get ranges below it. No samples give an empty list.
    /// </summary>
    /// <param name="predictions">ŷ, one per sample.</param>
    /// <param name="labels">y, same length; not NaN.</param>
    /// <param name="binWidth">Range width in label units (5 for age); &gt; 0.</param>
    /// <param name="start">A range edge in label units (0 for age).</param>
    public static IReadOnlyList<RangeError> Compute(
        IReadOnlyList<double> predictions,
        IReadOnlyList<double> labels,
        double binWidth,
        double start)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(labels);
        if (predictions.Count != labels.Count)
        {
            throw new ArgumentException($"Got {predictions.Count} predictions for {labels.Count} labels.", nameof(predictions));
        }

        if (!(binWidth > 0) || double.IsInfinity(binWidth))
        {
            throw new ArgumentOutOfRangeException(nameof(binWidth), binWidth, "Bin width must be positive and finite.");
        }

        if (!double.IsFinite(start))
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, "Start must be finite.");
        }

        if (labels.Count == 0)
        {
            return [];
        }

        var errors = new SortedDictionary<long, List<double>>();
        for (var i = 0; i < labels.Count; i++)
        {
            var bin = LabelBins.FloorIndex(labels[i], start, binWidth);
            if (!errors.TryGetValue(bin, out var group))
            {
                group = [];
                errors[bin] = group;
            }

            group.Add(Math.Abs(predictions[i] - labels[i]));
        }

        var ranges = new List<RangeError>();
        for (var bin = errors.Keys.First(); bin <= errors.Keys.Last(); bin++)
        {
            var from = start + (bin * binWidth);
            var to = start + ((bin + 1) * binWidth);
            ranges.Add(errors.TryGetValue(bin, out var group)
                ? new RangeError(from, to, group.Count, group.Average(), Math.Sqrt(group.Average(e => e * e)))
                : new RangeError(from, to, 0, double.NaN, double.NaN));
        }

        return ranges;
    }
}
