using ConR.Shared.Metrics;

namespace ConR.Shared.Calibration;

/// <summary>
/// Fits and measures the intervals of both label mixes from one model's val and test predictions: the one
/// implementation the age and depth exports share.
/// </summary>
/// <remarks>
/// <para><see cref="LabelMix.Balanced"/>: label-conditional split-conformal (ranges of the TRUE label, unweighted):
/// coverage holds in every true-label range, so for rare labels too and under any mix, in particular the balanced DIR
/// test split. Keyed by prediction, rare true labels were under-covered, because a range of predictions is dominated by
/// the common labels that land there.</para>
/// <para><see cref="LabelMix.Natural"/>: weighted split-conformal under label shift, Mondrian by predicted range: val
/// residuals weighted by p_train(y) / p_val(y) (<see cref="LabelShiftWeights"/>), ranges merged by effective sample
/// size. Test coverage is importance-weighted by p_train(y) / p_test(y).</para>
/// </remarks>
public static class MixCalibrator
{
    /// <summary>Per-sample predictions (age).</summary>
    /// <param name="valPredictions">ŷ on val, in label units.</param>
    /// <param name="valLabels">y on val.</param>
    /// <param name="testPredictions">ŷ on test.</param>
    /// <param name="testLabels">y on test.</param>
    /// <param name="shots">The training histogram (the natural mix) and its shot thresholds.</param>
    /// <param name="grid">Range grid, levels and minimum samples per range; its key is set per mix.</param>
    /// <param name="labelMin">Smallest possible label.</param>
    /// <param name="labelMax">Largest possible label.</param>
    /// <exception cref="ArgumentException">As <see cref="ConformalCalibrator"/> and <see cref="LabelShiftWeights"/>.</exception>
    public static MixCalibrations Fit(
        IReadOnlyList<double> valPredictions,
        IReadOnlyList<double> valLabels,
        IReadOnlyList<double> testPredictions,
        IReadOnlyList<double> testLabels,
        LabelShots shots,
        CalibrationOptions grid,
        double labelMin,
        double labelMax)
    {
        ArgumentNullException.ThrowIfNull(shots);
        ArgumentNullException.ThrowIfNull(grid);
        var balanced = ConformalCalibrator.Fit(valPredictions, valLabels, grid.KeyedOn(CalibrationKeys.Label), labelMin, labelMax);
        var balancedCoverage = CoverageEvaluator.Measure(balanced, testPredictions, testLabels, shots);

        var valWeights = LabelShiftWeights.Fit(shots.TrainHistogram, valLabels);
        var testWeights = LabelShiftWeights.Fit(shots.TrainHistogram, testLabels);
        var natural = ConformalCalibrator.Fit(valPredictions, valLabels, valWeights.For(valLabels), grid.KeyedOn(CalibrationKeys.Prediction), labelMin, labelMax);
        var naturalCoverage = CoverageEvaluator.Measure(natural, testPredictions, testLabels, shots, testWeights.For(testLabels));
        return new MixCalibrations(
            new MixCalibration(LabelMix.Balanced, balanced, balancedCoverage, valLabels.Count, testLabels.Count),
            new MixCalibration(LabelMix.Natural, natural, naturalCoverage, valWeights.EffectiveSampleSize, testWeights.EffectiveSampleSize));
    }

    /// <summary>Per-pixel predictions (depth: flattened valid pixels).</summary>
    /// <inheritdoc cref="Fit(IReadOnlyList{double}, IReadOnlyList{double}, IReadOnlyList{double}, IReadOnlyList{double}, LabelShots, CalibrationOptions, double, double)"/>
    public static MixCalibrations Fit(
        ReadOnlySpan<float> valPredictions,
        ReadOnlySpan<float> valLabels,
        ReadOnlySpan<float> testPredictions,
        ReadOnlySpan<float> testLabels,
        LabelShots shots,
        CalibrationOptions grid,
        double labelMin,
        double labelMax)
    {
        ArgumentNullException.ThrowIfNull(shots);
        ArgumentNullException.ThrowIfNull(grid);
        var balanced = ConformalCalibrator.Fit(valPredictions, valLabels, grid.KeyedOn(CalibrationKeys.Label), labelMin, labelMax);
        var balancedCoverage = CoverageEvaluator.Measure(balanced, testPredictions, testLabels, shots, []);

        var valWeights = LabelShiftWeights.Fit(shots.TrainHistogram, valLabels);
        var testWeights = LabelShiftWeights.Fit(shots.TrainHistogram, testLabels);
        var natural = ConformalCalibrator.Fit(valPredictions, valLabels, valWeights.For(valLabels), grid.KeyedOn(CalibrationKeys.Prediction), labelMin, labelMax);
        var naturalCoverage = CoverageEvaluator.Measure(natural, testPredictions, testLabels, shots, testWeights.For(testLabels));
        return new MixCalibrations(
            new MixCalibration(LabelMix.Balanced, balanced, balancedCoverage, valLabels.Length, testLabels.Length),
            new MixCalibration(LabelMix.Natural, natural, naturalCoverage, valWeights.EffectiveSampleSize, testWeights.EffectiveSampleSize));
    }
}
