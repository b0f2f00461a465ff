namespace ConR.Shared.Imbalance.Depth;

/// <summary>
/// NYUD2-DIR per-bin pixel weights for re-weighting and LDS (docs/conr-digest.md §2.1, "NYUD2 LDS"). Unlike the
/// age weights (<see cref="SampleWeights"/>), counts are pixels, Inverse uses the raw counts without clipping, LDS
/// uses reflect boundaries over bins <c>bucketStart</c> and up only, and the weights are normalised per pixel.
/// </summary>
public static class DepthPixelWeights
{
    /// <summary>
    /// Weight of each depth bin. With v_b = n_b (Inverse) or sqrt(n_b) (SqrtInv) for b ≥ bucketStart, LDS gives
    /// v' = convolve1d(v[bucketStart..], window, mode='reflect'), otherwise v' = v; bins below bucketStart take
    /// v'_bucketStart. Then w_b = s / v'_b with s = Σ n_b / Σ n_b / v'_b (bins with n_b = 0 add nothing), so the
    /// mean weight over the training pixels, Σ n_b·w_b / Σ n_b, is 1.
    /// </summary>
    /// <remarks>
    /// A bin whose v' is 0 (no training pixels in it, or with LDS none near it either) gets the largest finite
    /// weight, as in <see cref="SampleWeights"/>: an unseen depth is at least as rare as the rarest seen one.
    /// </remarks>
    /// <param name="trainPixelCounts">Training pixels per bin (NYUD2: 100 bins of 0.1 m); non-negative.</param>
    /// <param name="mode">Re-weighting; <see cref="ReweightMode.None"/> gives all ones (and refuses LDS).</param>
    /// <param name="lds">Smoothing, or null for none; requires a mode other than None.</param>
    /// <param name="bucketStart">First bin that is re-weighted and smoothed (NYUD2: 7); below the number of bins.</param>
    /// <returns>One weight per bin, same length as <paramref name="trainPixelCounts"/>.</returns>
    /// <exception cref="ArgumentException">
    /// LDS with mode None, an invalid LDS setting, negative counts, or no training pixel from bucketStart on.
    /// </exception>
    public static float[] PerBin(IReadOnlyList<long> trainPixelCounts, ReweightMode mode, LdsOptions? lds, int bucketStart = 7)
    {
        ArgumentNullException.ThrowIfNull(trainPixelCounts);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown re-weighting mode.");
        }

        var binCount = trainPixelCounts.Count;
        ArgumentOutOfRangeException.ThrowIfNegative(bucketStart);
        if (bucketStart >= binCount)
        {
            throw new ArgumentOutOfRangeException(nameof(bucketStart), bucketStart, $"The bucket start must be below the number of bins ({binCount}).");
        }

        if (trainPixelCounts.Any(n => n < 0))
        {
            throw new ArgumentException("Pixel counts must not be negative.", nameof(trainPixelCounts));
        }

        if (mode == ReweightMode.None)
        {
            if (lds is not null)
            {
                throw new ArgumentException("LDS needs re-weighting (sqrt_inv or inverse).", nameof(lds));
            }

            return Enumerable.Repeat(1f, binCount).ToArray();
        }

        lds?.Validate();
        var tail = new double[binCount - bucketStart];
        for (var i = 0; i < tail.Length; i++)
        {
            double n = trainPixelCounts[bucketStart + i];
            tail[i] = mode == ReweightMode.SqrtInv ? Math.Sqrt(n) : n;
        }

        if (tail.All(v => v == 0))
        {
            throw new ArgumentException($"No training pixel lies in bin {bucketStart} or above.", nameof(trainPixelCounts));
        }

        if (lds is not null)
        {
            var window = LdsKernel.Window(lds.Kind, lds.KernelSize, lds.Sigma);
            tail = Convolution1D.Convolve(tail, window, ConvolutionBoundary.Reflect);
        }

        var smoothed = new double[binCount];
        for (var b = 0; b < binCount; b++)
        {
            smoothed[b] = tail[Math.Max(b - bucketStart, 0)];
        }

        return Normalise(smoothed, trainPixelCounts);
    }

    /// <summary>
    /// Writes each pixel's weight: the weight of its ground-truth bin (<see cref="DepthBins.BinOf"/>), or 0 for a
    /// pixel without valid depth (non-finite or ≤ 0 m), so that no-data pixels drop out of a weighted loss.
    /// </summary>
    /// <param name="depth">Ground-truth depth in metres.</param>
    /// <param name="perBinWeights">From <see cref="PerBin"/>; one per bin of <paramref name="bins"/>.</param>
    /// <param name="bins">The bins the weights refer to.</param>
    /// <param name="destination">Same length as <paramref name="depth"/>.</param>
    public static void PerPixel(ReadOnlySpan<float> depth, ReadOnlySpan<float> perBinWeights, LabelBins bins, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(bins);
        if (perBinWeights.Length != bins.Count)
        {
            throw new ArgumentException($"Expected {bins.Count} bin weights, got {perBinWeights.Length}.", nameof(perBinWeights));
        }

        if (destination.Length != depth.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} weights for {depth.Length} pixels.", nameof(destination));
        }

        for (var i = 0; i < depth.Length; i++)
        {
            var d = depth[i];
            destination[i] = float.IsFinite(d) && d > 0 ? perBinWeights[DepthBins.BinOf(bins, d)] : 0f;
        }
    }

    // s = Σ n_b / Σ n_b / v'_b makes Σ n_b · s / v'_b = Σ n_b.
    private static float[] Normalise(double[] smoothed, IReadOnlyList<long> counts)
    {
        double total = 0, inverseSum = 0;
        for (var b = 0; b < smoothed.Length; b++)
        {
            // A bin below bucketStart may hold pixels while v'_bucketStart is 0; it gets the largest weight below.
            if (counts[b] > 0 && smoothed[b] > 0)
            {
                total += counts[b];
                inverseSum += counts[b] / smoothed[b];
            }
        }

        var scale = total / inverseSum;
        var weights = smoothed.Select(v => v > 0 ? scale / v : double.NaN).ToArray();
        var maxFinite = weights.Where(double.IsFinite).DefaultIfEmpty(1.0).Max();
        return weights.Select(w => (float)(double.IsFinite(w) ? w : maxFinite)).ToArray();
    }
}
