namespace ConR.Shared.Calibration;

/// <summary>
/// The coverage targets a package's intervals are checked against on test (issue 12): 90% intervals cover 88–92%
/// overall; the balanced mix also at least 85% in every true-label shot and every calibration range with at least 30
/// test samples; the natural mix, whose point is to be narrow where labels are common, overall only (its per-range and
/// per-shot coverage is reported, not targeted).
/// </summary>
public static class CalibrationTarget
{
    /// <summary>The level the target is stated for.</summary>
    public const double Level = 0.9;

    /// <summary>Overall coverage must lie within Level ± this.</summary>
    public const double OverallTolerance = 0.02;

    /// <summary>The least coverage of a shot or range (balanced mix).</summary>
    public const double MinGroupCoverage = 0.85;

    /// <summary>Shots and ranges with fewer test samples (effective samples when weighted) are too noisy to judge.</summary>
    public const int MinGroupCount = 30;

    /// <summary>Whether a balanced-mix report meets its target: overall, every shot and every range.</summary>
    public static bool BalancedMet(CoverageReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.MeetsTarget(Level, OverallTolerance, MinGroupCoverage, MinGroupCount)
            && report.MeetsShotTarget(Level, MinGroupCoverage, MinGroupCount);
    }

    /// <summary>Whether a natural-mix (importance-weighted) report meets its target: overall coverage.</summary>
    public static bool NaturalMet(CoverageReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.MeetsOverallTarget(Level, OverallTolerance);
    }
}
