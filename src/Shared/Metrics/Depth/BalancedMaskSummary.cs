using System.Globalization;

namespace ConR.Shared.Metrics.Depth;

/// <summary>A balanced mask and what it is made of.</summary>
public sealed record BalancedDepthMaskSelection(bool[] Mask, BalancedMaskSummary Summary);

/// <summary>A 0.1 m bin the balanced mask left out because it held fewer pixels than the floor.</summary>
public sealed record LeftOutBin(double FromMetres, double ToMetres, long Pixels);

/// <summary>
/// What a balanced mask scores, for logs and reports: k pixels from each of <see cref="SampledBins"/> bins spanning
/// <see cref="FromMetres"/> to <see cref="ToMetres"/>, and the bins under the <see cref="MinBinPixels"/> floor.
/// </summary>
public sealed record BalancedMaskSummary(long MinBinPixels, long PixelsPerBin, int SampledBins, double FromMetres, double ToMetres, IReadOnlyList<LeftOutBin> LeftOutBins)
{
    /// <summary>Pixels the mask selects.</summary>
    public long MaskedPixels => PixelsPerBin * SampledBins;

    /// <summary>Pixels of the split's left-out bins.</summary>
    public long LeftOutPixels => LeftOutBins.Sum(b => b.Pixels);

    /// <summary>One line, e.g. "1,203 pixels from each of 78 bins, 0.7-8.5 m (94,000); bins under 1,000 pixels left out: 8.5-8.9 m (4 bins, 2,310 pixels)".</summary>
    public string Describe()
    {
        var c = CultureInfo.InvariantCulture;
        var line = string.Create(c, $"{PixelsPerBin:N0} pixels from each of {SampledBins} bins, {FromMetres:0.0#}-{ToMetres:0.0#} m ({MaskedPixels:N0})");
        if (MinBinPixels <= BalancedDepthMask.OfficialMinBinPixels)
        {
            return line + " (official rule: every non-empty bin)";
        }

        if (LeftOutBins.Count == 0)
        {
            return line + string.Create(c, $"; every bin holds {MinBinPixels:N0}+ pixels");
        }

        var from = LeftOutBins.Min(b => b.FromMetres);
        var to = LeftOutBins.Max(b => b.ToMetres);
        return line + string.Create(c, $"; bins under {MinBinPixels:N0} pixels left out: {LeftOutBins.Count} within {from:0.0#}-{to:0.0#} m, {LeftOutPixels:N0} pixels");
    }
}
