namespace ConR.Shared.Metrics;

/// <summary>DIR shot group of a label, from its training count.</summary>
public enum Shot
{
    /// <summary>More than <see cref="ShotThresholds.Many"/> training samples.</summary>
    Many,

    /// <summary>Between the thresholds, both inclusive.</summary>
    Median,

    /// <summary>Fewer than <see cref="ShotThresholds.Few"/> training samples (including none).</summary>
    Few,
}
