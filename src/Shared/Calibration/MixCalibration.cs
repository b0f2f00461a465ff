namespace ConR.Shared.Calibration;

/// <summary>The intervals of one label mix and their test coverage.</summary>
/// <param name="Mix"><see cref="LabelMix.Balanced"/> or <see cref="LabelMix.Natural"/>.</param>
/// <param name="Table">The fitted table.</param>
/// <param name="TestCoverage">Its coverage on test (importance-weighted for the natural mix).</param>
/// <param name="ValEffectiveCount">Effective val sample size (Σw)² / Σw² (the val count when unweighted).</param>
/// <param name="TestEffectiveCount">Effective test sample size.</param>
public sealed record MixCalibration(string Mix, CalibrationTable Table, CoverageReport TestCoverage, double ValEffectiveCount, double TestEffectiveCount)
{
    /// <summary>Gets a value indicating whether the report meets the mix's <see cref="CalibrationTarget"/>.</summary>
    public bool TargetMet => Mix == LabelMix.Natural ? CalibrationTarget.NaturalMet(TestCoverage) : CalibrationTarget.BalancedMet(TestCoverage);
}
