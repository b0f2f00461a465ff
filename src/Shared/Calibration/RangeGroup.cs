namespace ConR.Shared.Calibration;

// A run of grid ranges [FirstBin, LastBin] (bin indices on the options' grid) calibrated together.
internal readonly record struct RangeGroup(long FirstBin, long LastBin, int Count, int MergedFrom);
