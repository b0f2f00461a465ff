using ConR.Shared.Imbalance;

namespace ConR.Shared.Metrics;

/// <summary>The DIR shot of a label: that of its bin's training count.</summary>
/// <param name="TrainHistogram">Training counts per label bin (samples or pixels).</param>
/// <param name="Thresholds">Shot cut-offs, in the histogram's units.</param>
public sealed record LabelShots(LabelHistogram TrainHistogram, ShotThresholds Thresholds)
{
    /// <summary>The shot of <paramref name="label"/> (labels outside the histogram count in its end bins).</summary>
    public Shot Of(double label) => Thresholds.Classify(TrainHistogram.CountFor(label));
}
