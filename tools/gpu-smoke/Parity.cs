namespace ConR.GpuSmoke;

/// <summary>How far one provider's outputs are from the reference provider's.</summary>
internal static class Parity
{
    public const double Tolerance = 1e-3;

    /// <summary>
    /// max |actual - reference| / max(|reference|, floor) over all outputs, the floor being 1% of the largest |reference|:
    /// relative where values have size, and not blown up by the few outputs near zero (a depth map's far corner).
    /// </summary>
    public static double MaxRelativeDifference(ReadOnlySpan<float> actual, ReadOnlySpan<float> reference)
    {
        if (actual.Length != reference.Length)
        {
            throw new ArgumentException($"{actual.Length} outputs against {reference.Length}.", nameof(actual));
        }

        var scale = 0.0;
        foreach (var value in reference)
        {
            scale = Math.Max(scale, Math.Abs(value));
        }

        var floor = Math.Max(scale * 0.01, double.Epsilon);
        var worst = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            var difference = Math.Abs((double)actual[i] - reference[i]);
            worst = Math.Max(worst, double.IsNaN(difference) ? double.PositiveInfinity : difference / Math.Max(Math.Abs(reference[i]), floor));
        }

        return worst;
    }
}
