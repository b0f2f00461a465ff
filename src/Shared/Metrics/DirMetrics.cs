using ConR.Shared.Imbalance;

namespace ConR.Shared.Metrics;

/// <summary>DIR overall and shot-group metrics for scalar regression (age).</summary>
public static class DirMetrics
{
    /// <summary>
    /// Summarises |ŷ − y| over all samples and per shot, where a sample's shot is that of its
    /// label bin's training count. Per-shot MAE/MSE average over samples, not over labels.
    /// </summary>
    /// <param name="predictions">ŷ, one per sample.</param>
    /// <param name="labels">y, same length.</param>
    /// <param name="trainHistogram">Training counts per label bin.</param>
    /// <param name="thresholds">Shot cut-offs.</param>
    public static DirTable Compute(
        IReadOnlyList<double> predictions,
        IReadOnlyList<double> labels,
        LabelHistogram trainHistogram,
        ShotThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(trainHistogram);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (predictions.Count != labels.Count)
        {
            throw new ArgumentException($"Got {predictions.Count} predictions for {labels.Count} labels.", nameof(predictions));
        }

        var all = new List<double>(labels.Count);
        var byShot = new Dictionary<Shot, List<double>>
        {
            [Shot.Many] = [],
            [Shot.Median] = [],
            [Shot.Few] = [],
        };
        for (var i = 0; i < labels.Count; i++)
        {
            var error = predictions[i] - labels[i];
            all.Add(error);
            byShot[thresholds.Classify(trainHistogram.CountFor(labels[i]))].Add(error);
        }

        return new DirTable(
            ErrorSummary.FromErrors(all),
            ErrorSummary.FromErrors(byShot[Shot.Many]),
            ErrorSummary.FromErrors(byShot[Shot.Median]),
            ErrorSummary.FromErrors(byShot[Shot.Few]));
    }
}
