namespace ConR.Training.Depth.Synth;

/// <summary>What <see cref="SynthDepthGenerator.Generate"/> produced.</summary>
/// <param name="Histogram">Pixel counts of all generated scenes in 100 depth bins of 0.1 m (bin = min(⌊d·10⌋, 99)).</param>
/// <param name="FractionBelow1m">Fraction of pixels with depth below 1 m.</param>
/// <param name="FractionBetween1p5And4m">Fraction of pixels with depth in [1.5, 4) m.</param>
/// <param name="FractionAbove6m">Fraction of pixels with depth of 6 m or more.</param>
/// <param name="TrainCount">Scenes listed in synth_train.csv.</param>
/// <param name="ValCount">Scenes listed in synth_val.csv.</param>
/// <param name="TestCount">Scenes listed in synth_test.csv.</param>
/// <param name="ElapsedSeconds">Wall-clock time of the whole generation, writing included.</param>
public sealed record SynthDepthSummary(
    long[] Histogram,
    double FractionBelow1m,
    double FractionBetween1p5And4m,
    double FractionAbove6m,
    int TrainCount,
    int ValCount,
    int TestCount,
    double ElapsedSeconds)
{
    public int Count => TrainCount + ValCount + TestCount;

    public long TotalPixels
    {
        get
        {
            long sum = 0;
            foreach (long c in Histogram) sum += c;
            return sum;
        }
    }

    public double ScenesPerSecond => ElapsedSeconds > 0 ? Count / ElapsedSeconds : 0;
}
