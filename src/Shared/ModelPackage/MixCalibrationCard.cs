using ConR.Shared.Calibration;

namespace ConR.Shared.ModelPackage;

/// <summary>The interval calibration of one label mix and how well it held on the test split.</summary>
/// <param name="Method">How the table was made and its coverage measured, in words.</param>
/// <param name="Table">The calibration the serving API uses for intervals of this mix.</param>
/// <param name="TestCoverage">Coverage of <paramref name="Table"/> measured on the test split (importance-weighted for the natural mix, as the report says).</param>
/// <param name="TargetMet">Whether the coverage target (see <paramref name="TargetNote"/>) was met.</param>
/// <param name="TargetNote">The target and the outcome in words, e.g. "90% intervals cover 90.3 % of test overall (target 88-92%); ...".</param>
public sealed record MixCalibrationCard(
    string Method,
    CalibrationTable Table,
    CoverageReport TestCoverage,
    bool TargetMet,
    string TargetNote);
