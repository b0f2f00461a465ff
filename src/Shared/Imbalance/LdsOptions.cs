namespace ConR.Shared.Imbalance;

/// <summary>Label distribution smoothing settings.</summary>
/// <param name="Kind">Window shape; default <see cref="LdsKernelKind.Gaussian"/>.</param>
/// <param name="KernelSize">Window length in bins; odd, at least 1; default 5 (the published DIR setting).</param>
/// <param name="Sigma">Width in bins for Gaussian and Laplace (ignored by Triang); &gt; 0; default 2.</param>
public sealed record LdsOptions(LdsKernelKind Kind = LdsKernelKind.Gaussian, int KernelSize = 5, double Sigma = 2)
{
    /// <summary>Throws <see cref="ArgumentException"/> when the settings cannot build a window.</summary>
    public void Validate() => Check(Kind, KernelSize, Sigma);

    internal static void Check(LdsKernelKind kind, int kernelSize, double sigma)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown LDS kernel kind.");
        }

        // An even size has no centre bin, so the window would shift labels.
        if (kernelSize < 1 || kernelSize % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "LDS kernel size must be odd and at least 1.");
        }

        if (!(sigma > 0) || double.IsInfinity(sigma))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "LDS sigma must be positive and finite.");
        }
    }
}
