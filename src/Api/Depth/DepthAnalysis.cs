using System.Buffers;
using ConR.Api.Models;
using ConR.Shared.Metrics;
using ConR.Shared.ModelPackage;

namespace ConR.Api.Depth;

/// <summary>
/// A raw depth output turned into what the answer needs, in pooled buffers: the map clipped to the label range,
/// the per-pixel half-widths at the level, its range, and the per-range summary, in one pass over spans.
/// </summary>
internal sealed class DepthAnalysis : IDisposable
{
    private readonly float[] depth;
    private readonly float[] halfWidths;

    private DepthAnalysis(float[] depth, float[] halfWidths, int length)
    {
        this.depth = depth;
        this.halfWidths = halfWidths;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<float> Depth => depth.AsSpan(0, Length);

    public ReadOnlyMemory<float> DepthMemory => depth.AsMemory(0, Length);

    public ReadOnlySpan<float> HalfWidths => halfWidths.AsSpan(0, Length);

    public float Min { get; private set; }

    public float Max { get; private set; }

    public IReadOnlyList<DepthRangeDto> Ranges { get; private set; } = [];

    public static DepthAnalysis Run(ReadOnlySpan<float> raw, double level, MixTable calibration, CardLookup lookup)
    {
        var n = raw.Length;
        var analysis = new DepthAnalysis(ArrayPool<float>.Shared.Rent(n), ArrayPool<float>.Shared.Rent(n), n);
        try
        {
            // Half-widths from the raw predictions, as calibrated; the map itself is clipped to the label range.
            calibration.Table.HalfWidths(raw, level, analysis.halfWidths.AsSpan(0, n));
            analysis.Summarise(raw, lookup);
            return analysis;
        }
        catch
        {
            analysis.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        ArrayPool<float>.Shared.Return(depth);
        ArrayPool<float>.Shared.Return(halfWidths);
    }

    private void Summarise(ReadOnlySpan<float> raw, CardLookup lookup)
    {
        var firstBand = lookup.BandIndex(lookup.LabelMin);
        var bandCount = checked((int)(lookup.BandIndex(lookup.LabelMax) - firstBand + 1));
        var counts = new long[bandCount];
        var halfWidthSums = new double[bandCount];
        var shotCounts = new long[bandCount * 3];
        var shotCodes = lookup.ShotCodes;
        float labelMin = (float)lookup.LabelMin, labelMax = (float)lookup.LabelMax;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        long finite = 0;
        var clipped = depth.AsSpan(0, Length);
        var half = halfWidths.AsSpan(0, Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var d = raw[i];
            if (!float.IsFinite(d))
            {
                clipped[i] = float.NaN;
                continue;
            }

            d = Math.Clamp(d, labelMin, labelMax);
            clipped[i] = d;
            min = Math.Min(min, d);
            max = Math.Max(max, d);
            finite++;
            var band = (int)(lookup.BandIndex(d) - firstBand);
            counts[band]++;
            halfWidthSums[band] += half[i];
            shotCounts[(band * 3) + shotCodes[lookup.HistogramBin(d)]]++;
        }

        Min = finite > 0 ? min : float.NaN;
        Max = finite > 0 ? max : float.NaN;
        var ranges = new List<DepthRangeDto>();
        for (var b = 0; b < bandCount; b++)
        {
            if (counts[b] == 0)
            {
                continue;
            }

            var index = firstBand + b;
            var rmse = lookup.Band(index)?.Rmse;
            ranges.Add(new DepthRangeDto(
                Math.Round(lookup.BandFrom(index), 6),
                Math.Round(lookup.BandTo(index), 6),
                MajorityShot(shotCounts.AsSpan(b * 3, 3)),
                Math.Round((double)counts[b] / finite, 6),
                rmse is double r && double.IsFinite(r) ? Math.Round(r, 4) : null,
                Math.Round(halfWidthSums[b] / counts[b], 4)));
        }

        Ranges = ranges;
    }

    // The shot most pixels have; on a tie the rarer shot, so a range is never called better-covered than it is.
    private static string MajorityShot(ReadOnlySpan<long> counts)
    {
        Shot[] rarestFirst = [Shot.Few, Shot.Median, Shot.Many];
        var best = rarestFirst[0];
        foreach (var shot in rarestFirst)
        {
            if (counts[(int)shot] > counts[(int)best])
            {
                best = shot;
            }
        }

        return ShotLabels.ToLabel(best);
    }
}
