namespace ConR.Shared.Calibration;

// A run of grid ranges [FirstBin, LastBin] (bin indices on the options' grid) calibrated together. SumW and SumW2 are
// the sums of the samples' weights and squared weights (both Count when unweighted), so Size is the effective sample
// size (Σw)² / Σw², which is exactly Count for an unweighted fit.
internal readonly record struct RangeGroup(long FirstBin, long LastBin, int Count, int MergedFrom, double SumW, double SumW2)
{
    // (Σw)² / Σw² equals Σw when the two sums agree (every weight 1), so an unweighted size is exactly Count.
    public double Size => SumW2 <= 0 ? 0 : SumW2 == SumW ? SumW : SumW * SumW / SumW2;

    public RangeGroup MergedWith(RangeGroup other) => new(
        Math.Min(FirstBin, other.FirstBin),
        Math.Max(LastBin, other.LastBin),
        Count + other.Count,
        MergedFrom + other.MergedFrom,
        SumW + other.SumW,
        SumW2 + other.SumW2);
}
