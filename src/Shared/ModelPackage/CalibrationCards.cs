using System.Globalization;
using ConR.Shared.Calibration;

namespace ConR.Shared.ModelPackage;

/// <summary>The card's calibrations from a <see cref="MixCalibrations"/> fit, with each mix's method and target outcome in words.</summary>
public static class CalibrationCards
{
    /// <summary>Both mixes, as exports write them.</summary>
    public static CalibrationCard From(MixCalibrations fitted, CalibrationWording wording)
    {
        ArgumentNullException.ThrowIfNull(fitted);
        ArgumentNullException.ThrowIfNull(wording);
        return new CalibrationCard(Balanced(fitted.Balanced, wording), Natural(fitted.Natural, wording));
    }

    private static MixCalibrationCard Balanced(MixCalibration mix, CalibrationWording wording)
    {
        var options = mix.Table.Options;
        var method =
            $"Label-conditional split-conformal, Mondrian by {N(options.RangeWidth)}-{wording.UnitAdjective} range of the TRUE label, fitted on the " +
            $"{N(mix.ValEffectiveCount)} {wording.FittedOn} {wording.Samples} unweighted (the balanced DIR mix): a range's half-width q is the conformal " +
            "quantile ceil((n+1)*level) of its absolute residuals, and the interval of a prediction p is the hull of the labels y with " +
            "|y - p| <= q(range of y), so coverage holds in every true-label range (rare labels included) whatever the label mix. " +
            Normalised(mix.Table, wording) +
            $"Ranges with fewer than {options.MinSamplesPerRange} {wording.FittedOn} {wording.Samples} are merged with their smaller neighbour; labels " +
            $"outside every range use the nearest; intervals are clipped to the label range. {Detail(wording)}Coverage measured on the " +
            $"{N(mix.TestEffectiveCount)} test {wording.Samples} unweighted, per true-label range, per predicted range and per true-label shot.";
        var report = mix.TestCoverage;
        var key = CalibrationOptions.LevelKey(CalibrationTarget.Level);
        var note =
            $"90% intervals cover {P(report.Overall[key])} of test overall (target 88-92%); per true-label shot " +
            $"{Shots(report, key, wording)} (target >= 85% where >= {CalibrationTarget.MinGroupCount} test {wording.Samples}); lowest " +
            $"true-label range with >= {CalibrationTarget.MinGroupCount} test {wording.Samples}: {P(Lowest(report.Ranges, key))} " +
            $"(target >= 85%); median half-width {Width(report, key, wording)}.";
        return new MixCalibrationCard(method, mix.Table, report, mix.TargetMet, note);
    }

    // Normalised conformal: what the scale is and why, in words; nothing for a plain table.
    private static string Normalised(CalibrationTable table, CalibrationWording wording) => table.Scale is not { } scale
        ? string.Empty
        : $"Residuals are first divided by a difficulty curve s(y) (the mean absolute {wording.FittedOn} residual around y, Gaussian-smoothed " +
          $"with a standard deviation of {N(scale.Bandwidth)} {wording.Unit} over {N(scale.Step)}-{wording.UnitAdjective} cells), q is fitted on " +
          "|y - p| / s(y), and a label y allows |y - p| <= q*s(y): within a range the labels the model finds harder (often the rarest) get " +
          "wider intervals and the easier ones narrower (normalised conformal prediction, Papadopoulos et al. 2002). ";

    private static MixCalibrationCard Natural(MixCalibration mix, CalibrationWording wording)
    {
        var options = mix.Table.Options;
        var method =
            "Weighted split-conformal under label shift (Tibshirani et al. 2019, applied to labels), Mondrian by " +
            $"{N(options.RangeWidth)}-{wording.UnitAdjective} range of the PREDICTION: each {wording.FittedOn} residual is weighted by p_train(y) / p_{wording.FittedOn}(y) " +
            $"(per {N(wording.WeightBinWidth)}-{wording.UnitAdjective} bin of the training histogram; bins without {wording.FittedOn} labels pooled with their " +
            "neighbour), and a range's half-width q is the smallest residual whose weighted share reaches level*(n_eff+1)/n_eff, " +
            "n_eff = (sum w)^2 / sum w^2 the range's effective sample size (the unweighted rule with n replaced by n_eff; it takes the " +
            "test point's unknown weight at its expectation under the training mix). Ranges with n_eff below " +
            $"{options.MinSamplesPerRange} are merged with their smaller neighbour. The interval is [p - q, p + q], clipped to the label " +
            $"range. {Capitalised(wording.FittedOn)} effective sample size {N(mix.ValEffectiveCount)}. {Detail(wording)}Test coverage is IMPORTANCE-WEIGHTED by " +
            $"p_train(y) / p_test(y): what a test split with the training label mix would show (effective test size " +
            $"{N(mix.TestEffectiveCount)}).";
        var report = mix.TestCoverage;
        var key = CalibrationOptions.LevelKey(CalibrationTarget.Level);
        var note =
            $"90% intervals cover {P(report.Overall[key])} of the importance-weighted test (target 88-92%); per true-label shot, " +
            $"weighted, reported but not targeted (the natural mix trades rare labels for width): {Shots(report, key, wording)}; " +
            $"median half-width {Width(report, key, wording)}.";
        return new MixCalibrationCard(method, mix.Table, report, mix.TargetMet, note);
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Detail(CalibrationWording wording) => wording.Detail is null ? string.Empty : wording.Detail.TrimEnd() + " ";

    // "many 91.5 % (1200 faces), ..." or, weighted, "many 91.6 % (n_eff 671), ...".
    private static string Shots(CoverageReport report, string key, CalibrationWording wording) =>
        report.Shots is null
            ? "not measured"
            : string.Join(", ", report.Shots.Select(shot =>
                $"{shot.Shot} {P(shot.Coverage[key])} ({(shot.EffectiveCount is { } effective ? $"n_eff {N(effective)}" : $"{shot.Count} {wording.Samples}")})"));

    // "16.2 years overall; many 15.1, median 17.6, few 28.1".
    private static string Width(CoverageReport report, string key, CalibrationWording wording) =>
        report.MedianHalfWidths is null
            ? "not measured"
            : $"{N(report.MedianHalfWidths[key])} {wording.Unit} overall" +
              (report.Shots is null ? string.Empty : "; " + string.Join(", ", report.Shots.Select(shot => $"{shot.Shot} {N(shot.MedianHalfWidths[key])}")));

    private static double Lowest(IReadOnlyList<RangeCoverage> ranges, string key) =>
        ranges.Where(r => (r.EffectiveCount ?? r.Count) >= CalibrationTarget.MinGroupCount).Select(r => r.Coverage[key]).DefaultIfEmpty(double.NaN).Min();

    private static string P(double fraction) => double.IsNaN(fraction) ? "n/a" : fraction.ToString("P1", CultureInfo.InvariantCulture);

    private static string N(double value) =>
        double.IsNaN(value) ? "n/a" : value.ToString(Math.Abs(value) >= 100 ? "F0" : "0.##", CultureInfo.InvariantCulture);
}
