namespace ConR.Shared.Metrics;

/// <summary>Training-count cut-offs for the shot groups (DIR defaults: &gt; 100 Many, &lt; 20 Few).</summary>
/// <param name="Many">Counts strictly above this are Many; default 100.</param>
/// <param name="Few">Counts strictly below this are Few; default 20.</param>
public sealed record ShotThresholds(double Many = 100, double Few = 20)
{
    /// <summary>Shot of a label whose bin has <paramref name="trainCount"/> training samples.</summary>
    public Shot Classify(long trainCount) =>
        trainCount > Many ? Shot.Many
        : trainCount < Few ? Shot.Few
        : Shot.Median;
}
