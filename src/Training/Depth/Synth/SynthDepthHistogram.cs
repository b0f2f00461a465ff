namespace ConR.Training.Depth.Synth;

// The NYUD2-DIR pixel binning: 100 bins of 0.1 m over [0, 10] m, bin = min(floor(d·10), 99).
internal static class SynthDepthHistogram
{
    public const int Bins = 100;
    public const double BinWidth = 0.1;

    public static int Bin(float metres) => Math.Clamp((int)(metres * 10f), 0, Bins - 1);

    public static void Add(Span<long> histogram, ReadOnlySpan<float> depth)
    {
        if (histogram.Length != Bins) throw new ArgumentException($"A histogram has {Bins} bins.", nameof(histogram));
        foreach (float d in depth) histogram[Bin(d)]++;
    }

    /// <summary>Fractions of pixels below 1 m (bins 0–9), in [1.5, 4) m (bins 15–39) and at 6 m or beyond (bins 60–99).</summary>
    public static (double Below1m, double Between1p5And4m, double Above6m) Fractions(ReadOnlySpan<long> histogram)
    {
        long total = 0;
        long below = 0;
        long mid = 0;
        long above = 0;
        for (int i = 0; i < histogram.Length; i++)
        {
            long c = histogram[i];
            total += c;
            if (i < 10) below += c;
            else if (i is >= 15 and < 40) mid += c;
            else if (i >= 60) above += c;
        }

        if (total == 0) return (0, 0, 0);
        return ((double)below / total, (double)mid / total, (double)above / total);
    }
}
