using ConR.Shared.Imbalance;

namespace ConR.Training.Methods;

/// <summary>
/// Settings of feature distribution smoothing (Yang et al., ICML 2021; docs/methods.md). Defaults are the published age
/// settings: buckets are integer labels 3..99, gaussian kernel of 5 buckets with sigma 2, momentum 0.9, ratio clamp
/// [0.1, 10], statistics from the end of epoch 0 on and calibration from epoch 1 on (epochs count from 0).
/// </summary>
public sealed record FdsOptions
{
    /// <summary>Shape of the smoothing window across buckets (normalised to sum 1).</summary>
    public LdsKernelKind Kernel { get; init; } = LdsKernelKind.Gaussian;

    /// <summary>Window length in buckets; odd.</summary>
    public int KernelSize { get; init; } = 5;

    /// <summary>Window width in buckets (gaussian, laplace).</summary>
    public double Sigma { get; init; } = 2;

    /// <summary>Label of the first bucket; smaller labels are pooled into it.</summary>
    public int BucketStart { get; init; } = 3;

    /// <summary>One past the label of the last bucket; larger labels are pooled into the last bucket.</summary>
    public int BucketNum { get; init; } = 100;

    /// <summary>First epoch (0-based) after which the statistics are collected.</summary>
    public int StartUpdate { get; init; }

    /// <summary>First epoch (0-based) whose training forward passes are calibrated.</summary>
    public int StartSmooth { get; init; } = 1;

    /// <summary>Weight of the old statistics in the running update (0 at <see cref="StartUpdate"/>).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Lower clamp of the variance ratio smoothed/running (0.1 for age, 0.2 for NYUD2).</summary>
    public double ClampLow { get; init; } = 0.1;

    /// <summary>Upper clamp of the variance ratio (10 for age, 5 for NYUD2).</summary>
    public double ClampHigh { get; init; } = 10;

    /// <summary>NYUD2 settings: 0.1 m buckets 7..99 (labels are bucket indices there), clamp [0.2, 5].</summary>
    public static FdsOptions Depth { get; } = new() { BucketStart = 7, BucketNum = 100, ClampLow = 0.2, ClampHigh = 5 };

    /// <summary>Number of buckets, BucketNum − BucketStart.</summary>
    public int Buckets => BucketNum - BucketStart;

    /// <summary>The sum-normalised smoothing window (FDS normalises by the sum, LDS by the maximum).</summary>
    public double[] Window()
    {
        var window = LdsKernel.Window(Kernel, KernelSize, Sigma);
        double sum = window.Sum();
        return window.Select(v => v / sum).ToArray();
    }

    /// <summary>Throws <see cref="ArgumentException"/> with a message naming the command-line flag.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kernel)) throw new ArgumentException($"--fds-kernel must be gaussian, triang or laplace (got '{Kernel}')");
        if (KernelSize < 1 || KernelSize % 2 == 0) throw new ArgumentException($"--fds-ks must be odd and at least 1 (got {KernelSize})");
        if (!(Sigma > 0) || double.IsInfinity(Sigma)) throw new ArgumentException($"--fds-sigma must be positive (got {Sigma})");
        if (BucketStart < 0) throw new ArgumentException($"--bucket-start must be >= 0 (got {BucketStart})");
        // Reflect padding by (ks − 1)/2 needs more buckets than the padding on each side.
        if (Buckets <= KernelSize / 2)
            throw new ArgumentException($"--bucket-num {BucketNum} - --bucket-start {BucketStart} leaves {Buckets} buckets; the kernel of size {KernelSize} needs more than {KernelSize / 2}");
        if (StartUpdate < 0) throw new ArgumentException($"--start-update must be >= 0 (got {StartUpdate})");
        if (StartSmooth < 0) throw new ArgumentException($"--start-smooth must be >= 0 (got {StartSmooth})");
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentException($"--fds-momentum must be in [0, 1) (got {Momentum})");
        if (!(ClampLow > 0) || !(ClampHigh >= ClampLow) || double.IsInfinity(ClampHigh))
            throw new ArgumentException($"--fds-clamp needs 0 < lo <= hi < infinity (got {ClampLow},{ClampHigh})");
    }
}
