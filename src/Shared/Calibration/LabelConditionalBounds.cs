namespace ConR.Shared.Calibration;

// The interval of a table keyed by the true label: the labels y a prediction ŷ is consistent with,
// C(ŷ) = { y : |y − ŷ| ≤ q(range of y) }, a label-conditional conformal set (Vovk's Mondrian predictors with a
// taxonomy on the label), so P(y ∈ C | y in range r) ≥ level for every range r and any mix of labels. C can have
// holes where a far range allows larger residuals than a near one; the interval is its hull [min C, max C], which
// contains C and so keeps the guarantee.
internal readonly struct LabelConditionalBounds
{
    private readonly double[] from;
    private readonly double[] to;
    private readonly double[] halfWidths;
    private readonly double labelMin;
    private readonly double labelMax;

    public LabelConditionalBounds(CalibrationTable table, string levelKey)
    {
        var ranges = table.Ranges;
        var count = ranges.Count;
        from = new double[count];
        to = new double[count];
        halfWidths = new double[count];
        labelMin = table.LabelMin;
        labelMax = table.LabelMax;
        for (var r = 0; r < count; r++)
        {
            // Labels in a gap between ranges belong to the nearer range (as RangeFor decides), labels beyond the
            // first or last range to that range: every label in [labelMin, labelMax] has exactly one q.
            from[r] = r == 0 ? double.NegativeInfinity : (ranges[r - 1].To + ranges[r].From) / 2;
            to[r] = r == count - 1 ? double.PositiveInfinity : (ranges[r].To + ranges[r + 1].From) / 2;
            halfWidths[r] = CalibrationTable.HalfWidthOf(ranges[r], levelKey);
        }
    }

    /// <summary>
    /// [min C, max C] within [labelMin, labelMax]. When no label is consistent with ŷ (a prediction far outside the
    /// label range), the interval collapses onto the clamped prediction, as a prediction-keyed table's would.
    /// </summary>
    public (double Lower, double Upper) Of(double prediction)
    {
        double lower = double.PositiveInfinity, upper = double.NegativeInfinity;
        for (var r = 0; r < halfWidths.Length; r++)
        {
            var a = Math.Max(Math.Max(from[r], labelMin), prediction - halfWidths[r]);
            var b = Math.Min(Math.Min(to[r], labelMax), prediction + halfWidths[r]);
            if (a <= b)
            {
                lower = Math.Min(lower, a);
                upper = Math.Max(upper, b);
            }
        }

        if (lower > upper)
        {
            var clamped = Math.Clamp(prediction, labelMin, labelMax);
            return (clamped, clamped);
        }

        return (lower, upper);
    }
}
