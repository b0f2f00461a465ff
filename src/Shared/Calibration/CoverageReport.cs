namespace ConR.Shared.Calibration;

/// <summary>How often a <see cref="CalibrationTable"/>'s intervals contained the true label on held-out data.</summary>
/// <param name="Overall">Per level key ("0.9"): fraction of all test samples covered; NaN when there were none.</param>
/// <param name="Ranges">One entry per calibration range, in the table's order.</param>
public sealed record CoverageReport(IReadOnlyDictionary<string, double> Overall, IReadOnlyList<RangeCoverage> Ranges)
{
    /// <summary>
    /// Whether <paramref name="level"/> hits its target: overall coverage within level ± <paramref name="overallTolerance"/>,
    /// and at least <paramref name="minRangeCoverage"/> in every range with at least <paramref name="minRangeCount"/>
    /// test samples. E.g. (0.9, 0.02, 0.85, 30): "90% intervals cover 88–92% overall and ≥ 85% in every range with ≥ 30 samples".
    /// </summary>
    /// <exception cref="ArgumentException">The level is not in the report (the message lists those that are).</exception>
    public bool MeetsTarget(double level, double overallTolerance, double minRangeCoverage, int minRangeCount)
    {
        var key = CalibrationOptions.LevelKey(level);
        if (!Overall.TryGetValue(key, out var overall))
        {
            throw new ArgumentException($"Level {key} was not measured; measured levels: {string.Join(", ", Overall.Keys)}.", nameof(level));
        }

        // A hair of slack so that exactly 0.88 for 0.9 ± 0.02 passes despite binary rounding.
        const double slack = 1e-12;
        if (!(Math.Abs(overall - level) <= overallTolerance + slack))
        {
            return false;
        }

        return Ranges
            .Where(range => range.Count >= minRangeCount)
            .All(range => range.Coverage.TryGetValue(key, out var coverage) && coverage >= minRangeCoverage - slack);
    }
}
