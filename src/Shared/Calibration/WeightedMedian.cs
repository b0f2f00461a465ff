namespace ConR.Shared.Calibration;

// The lower (weighted) median: the smallest value whose cumulative weight reaches half the total. Unweighted, the
// ⌈n/2⌉-th smallest. NaN for no values or no weight.
internal static class WeightedMedian
{
    public static double Of(Span<float> values, Span<float> weights)
    {
        if (values.IsEmpty)
        {
            return double.NaN;
        }

        if (weights.IsEmpty)
        {
            return QuickSelect.Select(values, ((values.Length + 1) / 2) - 1);
        }

        values.Sort(weights);
        double total = 0;
        foreach (var w in weights)
        {
            total += w;
        }

        if (!(total > 0))
        {
            return double.NaN;
        }

        double cumulative = 0;
        for (var i = 0; i < values.Length; i++)
        {
            cumulative += weights[i];
            if (cumulative >= total / 2 && weights[i] > 0)
            {
                return values[i];
            }
        }

        return values[^1];
    }
}
