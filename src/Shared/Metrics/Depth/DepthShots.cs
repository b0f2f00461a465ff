namespace ConR.Shared.Metrics.Depth;

/// <summary>Shot of each depth bin, from training pixel counts (docs/conr-digest.md §3.3).</summary>
public static class DepthShots
{
    /// <summary>Training pixels in NYUD2-DIR: Σ TRAIN_BUCKET_NUM = 50,688 images × 304 × 228.</summary>
    public const long NyuTrainPixels = 3_513_286_656;

    /// <summary>
    /// NYUD2's many-shot cut-off as a fraction of all training pixels: a bin is many-shot above 2.6×10⁷ of the
    /// 3,513,286,656 training pixels, so 2.6e7 / 3,513,286,656 ≈ 7.40e-3. (The official lists agree with any
    /// absolute cut-off between 25.85M and 28.34M pixels.)
    /// </summary>
    public const double NyuManyFraction = 2.6e7 / NyuTrainPixels;

    /// <summary>
    /// NYUD2's few-shot cut-off as a fraction of all training pixels: few-shot below 1.0×10⁷ of 3,513,286,656,
    /// so 1e7 / 3,513,286,656 ≈ 2.85e-3. (The official lists agree with any cut-off between 9.66M and 11.52M.)
    /// </summary>
    public const double NyuFewFraction = 1.0e7 / NyuTrainPixels;

    private const int NyuBins = 100;

    /// <summary>
    /// Shot per bin: Many when the bin holds more than manyFraction · total training pixels, Few when it holds
    /// fewer than fewFraction · total (so a bin with no training pixels is always Few), Median otherwise. With
    /// <see cref="NyuManyFraction"/> and <see cref="NyuFewFraction"/> this reproduces NYUD2's pixel thresholds on
    /// data sets of another size (another resolution or another number of images).
    /// </summary>
    /// <param name="trainPixelCounts">Training pixels per depth bin; non-negative, not all zero.</param>
    /// <param name="manyFraction">Many-shot cut-off as a fraction of all training pixels, in [0, 1].</param>
    /// <param name="fewFraction">Few-shot cut-off, in [0, manyFraction].</param>
    public static IReadOnlyList<Shot> FromPixelCounts(IReadOnlyList<long> trainPixelCounts, double manyFraction, double fewFraction)
    {
        ArgumentNullException.ThrowIfNull(trainPixelCounts);
        if (!(manyFraction >= 0 && manyFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(manyFraction), manyFraction, "The many-shot fraction must be in [0, 1].");
        }

        if (!(fewFraction >= 0 && fewFraction <= manyFraction))
        {
            throw new ArgumentOutOfRangeException(nameof(fewFraction), fewFraction, "The few-shot fraction must be in [0, manyFraction].");
        }

        long total = 0;
        foreach (var count in trainPixelCounts)
        {
            if (count < 0)
            {
                throw new ArgumentException("Pixel counts must not be negative.", nameof(trainPixelCounts));
            }

            total = checked(total + count);
        }

        if (total == 0)
        {
            throw new ArgumentException("The training pixel counts are all zero.", nameof(trainPixelCounts));
        }

        var thresholds = new ShotThresholds(manyFraction * total, fewFraction * total);
        var shots = new Shot[trainPixelCounts.Count];
        for (var b = 0; b < shots.Length; b++)
        {
            shots[b] = trainPixelCounts[b] == 0 ? Shot.Few : thresholds.Classify(trainPixelCounts[b]);
        }

        return shots;
    }

    /// <summary>
    /// The official NYUD2-DIR shot of each of the 100 bins of 0.1 m: many = bins 9–45, 47, 49; median = 7, 8, 46,
    /// 48, 50–56, 58, 60, 61, 63; few = 57, 59, 62, 64–99.
    /// </summary>
    /// <remarks>
    /// The official lists leave out bins 0–6 (under 0.7 m), which hold no training pixel and which the balanced
    /// test mask never selects. They are returned as Few, as <see cref="FromPixelCounts"/> treats every bin without
    /// training pixels; with the balanced mask this choice changes nothing, and without it such pixels count in
    /// "All" and "Few" (the official code counts them in "All" only).
    /// </remarks>
    public static IReadOnlyList<Shot> Nyud2Official()
    {
        var shots = new Shot[NyuBins];
        for (var b = 0; b < NyuBins; b++)
        {
            shots[b] = b switch
            {
                >= 9 and <= 45 or 47 or 49 => Shot.Many,
                7 or 8 or 46 or 48 or (>= 50 and <= 56) or 58 or 60 or 61 or 63 => Shot.Median,
                _ => Shot.Few,
            };
        }

        return shots;
    }
}
