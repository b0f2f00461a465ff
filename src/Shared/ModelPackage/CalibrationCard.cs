using ConR.Shared.Calibration;

namespace ConR.Shared.ModelPackage;

/// <summary>The model's interval calibration and how well it held on the test split.</summary>
/// <param name="Method">How the table was made, in words, e.g. "split-conformal, Mondrian by 5-year prediction range, fitted on val".</param>
/// <param name="Table">The calibration the serving API uses for intervals.</param>
/// <param name="TestCoverage">Coverage of <paramref name="Table"/> measured on the test split.</param>
/// <param name="TargetMet">Whether the coverage target (see <paramref name="TargetNote"/>) was met.</param>
/// <param name="TargetNote">The target and the outcome in words, e.g. "0.9: 0.903 overall (target 0.88–0.92); lowest range 0.87".</param>
public sealed record CalibrationCard(
    string Method,
    CalibrationTable Table,
    CoverageReport TestCoverage,
    bool TargetMet,
    string TargetNote);
