namespace ConR.Shared.Calibration;

/// <summary>How often a <see cref="CalibrationTable"/>'s intervals contained the true label on held-out data.</summary>
/// <param name="Overall">Per level key ("0.9"): fraction of all test samples covered; NaN when there were none.</param>
/// <param name="Ranges">One entry per calibration range, in the table's order (samples assigned on the table's key).</param>
/// <param name="Shots">Per true-label shot ("many", "median", "few"): coverage and median half-width; null in
/// schema-1 cards, which did not measure it.</param>
/// <param name="MedianHalfWidths">Per level key: the (weighted) lower median of (Upper − Lower) / 2 over all test
/// samples, in label units; null in schema-1 cards.</param>
/// <param name="PredictedRanges">For a label-keyed table, coverage per range of the PREDICTION on the table's grid
/// (occupied ranges only), what a caller who knows only ŷ sees; null for a prediction-keyed table, whose
/// <paramref name="Ranges"/> already are that.</param>
/// <param name="ImportanceWeighted">True when every fraction is importance-weighted by p_train(y) / p_test(y), i.e.
/// the coverage a test split with the training label mix would have shown.</param>
public sealed record CoverageReport(
    IReadOnlyDictionary<string, double> Overall,
    IReadOnlyList<RangeCoverage> Ranges,
    IReadOnlyList<ShotCoverage>? Shots = null,
    IReadOnlyDictionary<string, double>? MedianHalfWidths = null,
    IReadOnlyList<RangeCoverage>? PredictedRanges = null,
    bool ImportanceWeighted = false)
{
    // A hair of slack so that exactly 0.88 for 0.9 ± 0.02 passes despite binary rounding.
    private const double Slack = 1e-12;

    /// <summary>
    /// Whether <paramref name="level"/> hits its target: overall coverage within level ± <paramref name="overallTolerance"/>,
    /// and at least <paramref name="minRangeCoverage"/> in every range with at least <paramref name="minRangeCount"/>
    /// test samples (effective samples when weighted). E.g. (0.9, 0.02, 0.85, 30): "90% intervals cover 88–92% overall
    /// and ≥ 85% in every range with ≥ 30 samples".
    /// </summary>
    /// <exception cref="ArgumentException">The level is not in the report (the message lists those that are).</exception>
    public bool MeetsTarget(double level, double overallTolerance, double minRangeCoverage, int minRangeCount)
    {
        if (!MeetsOverallTarget(level, overallTolerance))
        {
            return false;
        }

        var key = MeasuredKey(level);
        return Ranges
            .Where(range => (range.EffectiveCount ?? range.Count) >= minRangeCount)
            .All(range => range.Coverage.TryGetValue(key, out var coverage) && coverage >= minRangeCoverage - Slack);
    }

    /// <summary>Whether the overall coverage of <paramref name="level"/> lies within level ± <paramref name="overallTolerance"/>.</summary>
    /// <exception cref="ArgumentException">The level is not in the report.</exception>
    public bool MeetsOverallTarget(double level, double overallTolerance) =>
        Math.Abs(Overall[MeasuredKey(level)] - level) <= overallTolerance + Slack;

    /// <summary>
    /// Whether every true-label shot with at least <paramref name="minShotCount"/> test samples (effective samples when
    /// weighted) has coverage of at least <paramref name="minShotCoverage"/> at <paramref name="level"/>; false when
    /// shots were not measured.
    /// </summary>
    /// <exception cref="ArgumentException">The level is not in the report.</exception>
    public bool MeetsShotTarget(double level, double minShotCoverage, int minShotCount)
    {
        var key = MeasuredKey(level);
        return Shots is not null && Shots
            .Where(shot => (shot.EffectiveCount ?? shot.Count) >= minShotCount)
            .All(shot => shot.Coverage.TryGetValue(key, out var coverage) && coverage >= minShotCoverage - Slack);
    }

    private string MeasuredKey(double level)
    {
        var key = CalibrationOptions.LevelKey(level);
        return Overall.ContainsKey(key)
            ? key
            : throw new ArgumentException($"Level {key} was not measured; measured levels: {string.Join(", ", Overall.Keys)}.", nameof(level));
    }
}
