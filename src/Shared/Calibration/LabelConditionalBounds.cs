namespace ConR.Shared.Calibration;

// The interval of a table keyed by the true label: the labels y a prediction ŷ is consistent with,
// C(ŷ) = { y : |y − ŷ| ≤ q(range of y) }, a label-conditional conformal set (Vovk's Mondrian predictors with a
// taxonomy on the label), so P(y ∈ C | y in range r) ≥ level for every range r and any mix of labels. With a
// LabelScale the condition is |y − ŷ| ≤ q(range of y)·s(y) (normalised conformal), and the guarantee is the same,
// because the scores |y − ŷ| / s(y) are what was calibrated. C can have holes where a far range allows larger
// residuals than a near one; the interval is its hull [min C, max C], which contains C and so keeps the guarantee.
internal readonly struct LabelConditionalBounds
{
    // Pieces of the label axis with one allowed residual each: a range, or with a scale a range ∩ scale cell.
    private readonly double[] from;
    private readonly double[] to;
    private readonly double[] halfWidths;
    private readonly double labelMin;
    private readonly double labelMax;

    public LabelConditionalBounds(CalibrationTable table, string levelKey)
    {
        var ranges = table.Ranges;
        var count = ranges.Count;
        var pieces = new List<(double From, double To, double HalfWidth)>(count);
        labelMin = table.LabelMin;
        labelMax = table.LabelMax;
        for (var r = 0; r < count; r++)
        {
            // Labels in a gap between ranges belong to the nearer range (as RangeFor decides), labels beyond the
            // first or last range to that range: every label in [labelMin, labelMax] has exactly one q.
            var rangeFrom = r == 0 ? double.NegativeInfinity : (ranges[r - 1].To + ranges[r].From) / 2;
            var rangeTo = r == count - 1 ? double.PositiveInfinity : (ranges[r].To + ranges[r + 1].From) / 2;
            var q = CalibrationTable.HalfWidthOf(ranges[r], levelKey);
            if (table.Scale is not { } scale)
            {
                pieces.Add((rangeFrom, rangeTo, q));
                continue;
            }

            var last = scale.Values.Count - 1;
            var firstCell = double.IsNegativeInfinity(rangeFrom) ? 0 : scale.CellOf(rangeFrom);
            var lastCell = double.IsPositiveInfinity(rangeTo) ? last : scale.CellOf(rangeTo);
            for (var c = firstCell; c <= lastCell; c++)
            {
                // The end cells reach to infinity, as LabelScale.At clamps.
                var a = Math.Max(rangeFrom, c == 0 ? double.NegativeInfinity : scale.EdgeOf(c));
                var b = Math.Min(rangeTo, c == last ? double.PositiveInfinity : scale.EdgeOf(c + 1));
                if (a < b)
                {
                    pieces.Add((a, b, q * scale.Values[c]));
                }
            }
        }

        from = [.. pieces.Select(p => p.From)];
        to = [.. pieces.Select(p => p.To)];
        halfWidths = [.. pieces.Select(p => p.HalfWidth)];
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
