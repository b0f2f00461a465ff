namespace ConR.Shared.Imbalance;

/// <summary>LDS smoothing windows, normalised so the centre (maximum) is 1.</summary>
public static class LdsKernel
{
    /// <summary>
    /// Builds a window of <paramref name="kernelSize"/> values (symmetric, maximum 1).
    /// Gaussian: a centred delta of length <paramref name="kernelSize"/> run through scipy's
    /// <c>gaussian_filter1d</c> (reflect mode, radius int(4σ + 0.5)), so a radius wider than the
    /// window folds back and flattens it (ks=5, σ=2 gives ≈ [0.858, 0.946, 1, 0.946, 0.858]).
    /// Triang: scipy <c>triang(ks)</c>. Laplace: exp(−|x|/σ) for x in [−h, h].
    /// </summary>
    /// <param name="kind">Window shape.</param>
    /// <param name="kernelSize">Odd length ≥ 1.</param>
    /// <param name="sigma">Width in bins, &gt; 0 (unused by Triang but still checked).</param>
    public static double[] Window(LdsKernelKind kind, int kernelSize, double sigma)
    {
        LdsOptions.Check(kind, kernelSize, sigma);
        var window = kind switch
        {
            LdsKernelKind.Gaussian => Gaussian(kernelSize, sigma),
            LdsKernelKind.Triang => Triang(kernelSize),
            _ => Laplace(kernelSize, sigma),
        };

        var max = window.Max();
        for (var i = 0; i < window.Length; i++)
        {
            window[i] /= max;
        }

        return window;
    }

    private static double[] Gaussian(int kernelSize, double sigma)
    {
        var delta = new double[kernelSize];
        delta[kernelSize / 2] = 1;
        return GaussianFilter1D.Apply(delta, sigma);
    }

    // Odd-length scipy triang: 2n/(ks+1) rising to 1 at the centre; never 0 at the ends.
    private static double[] Triang(int kernelSize)
    {
        var half = kernelSize / 2;
        var window = new double[kernelSize];
        for (var i = 0; i < kernelSize; i++)
        {
            window[i] = (half + 1.0 - Math.Abs(i - half)) / (half + 1.0);
        }

        return window;
    }

    private static double[] Laplace(int kernelSize, double sigma)
    {
        var half = kernelSize / 2;
        var window = new double[kernelSize];
        for (var i = 0; i < kernelSize; i++)
        {
            window[i] = Math.Exp(-Math.Abs(i - half) / sigma);
        }

        return window;
    }
}
