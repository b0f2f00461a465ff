namespace ConR.Shared.Imbalance;

/// <summary>1-D convolution with <c>scipy.ndimage.convolve1d</c> semantics.</summary>
public static class Convolution1D
{
    /// <summary>
    /// out[i] = Σ_k weights[k] · input[i + len(weights)/2 − k] (integer division), reading outside
    /// the input through <paramref name="boundary"/>. Output has the input's length.
    /// </summary>
    /// <param name="input">Signal; may be empty.</param>
    /// <param name="weights">Kernel; at least one element, any length.</param>
    /// <param name="boundary">Extension mode.</param>
    /// <param name="constantValue">Padding for <see cref="ConvolutionBoundary.Constant"/>; default 0.</param>
    public static double[] Convolve(
        ReadOnlySpan<double> input,
        ReadOnlySpan<double> weights,
        ConvolutionBoundary boundary,
        double constantValue = 0)
    {
        if (weights.IsEmpty)
        {
            throw new ArgumentException("Convolution weights must not be empty.", nameof(weights));
        }

        if (!Enum.IsDefined(boundary))
        {
            throw new ArgumentOutOfRangeException(nameof(boundary), boundary, "Unknown boundary mode.");
        }

        var output = new double[input.Length];
        var centre = weights.Length / 2;
        for (var i = 0; i < input.Length; i++)
        {
            var sum = 0.0;
            for (var k = 0; k < weights.Length; k++)
            {
                sum += weights[k] * Sample(input, i + centre - k, boundary, constantValue);
            }

            output[i] = sum;
        }

        return output;
    }

    private static double Sample(ReadOnlySpan<double> input, int index, ConvolutionBoundary boundary, double constantValue)
    {
        var n = input.Length;
        if (index >= 0 && index < n)
        {
            return input[index];
        }

        if (boundary == ConvolutionBoundary.Constant)
        {
            return constantValue;
        }

        // Repeated half-sample reflection is periodic with period 2n, which also covers
        // kernels wider than the signal (scipy extends the line the same way).
        var period = 2 * n;
        var m = ((index % period) + period) % period;
        return input[m < n ? m : period - 1 - m];
    }
}
