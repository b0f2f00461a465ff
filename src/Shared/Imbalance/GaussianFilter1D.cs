namespace ConR.Shared.Imbalance;

// scipy.ndimage.gaussian_filter1d with its defaults (order 0, mode 'reflect', truncate 4.0).
internal static class GaussianFilter1D
{
    public static double[] Apply(ReadOnlySpan<double> input, double sigma)
    {
        var radius = (int)((4.0 * sigma) + 0.5);
        var kernel = new double[(2 * radius) + 1];
        var sum = 0.0;
        for (var x = -radius; x <= radius; x++)
        {
            var value = Math.Exp(-0.5 * x * x / (sigma * sigma));
            kernel[x + radius] = value;
            sum += value;
        }

        for (var i = 0; i < kernel.Length; i++)
        {
            kernel[i] /= sum;
        }

        // The kernel is symmetric, so convolution equals scipy's correlation here.
        return Convolution1D.Convolve(input, kernel, ConvolutionBoundary.Reflect);
    }
}
