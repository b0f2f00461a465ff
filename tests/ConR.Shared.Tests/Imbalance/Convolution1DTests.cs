using ConR.Shared.Imbalance;

namespace ConR.Shared.Tests.Imbalance;

public class Convolution1DTests
{
    [Fact]
    public void Convolve_ConstantMode_PadsWithZeros()
    {
        // out[i] = 1·x[i+1] + 2·x[i] + 3·x[i-1], x outside = 0.
        var output = Convolution1D.Convolve([1.0, 2, 3, 4], [1.0, 2, 3], ConvolutionBoundary.Constant);

        Assert.Equal([4.0, 10, 16, 17], output);
    }

    [Fact]
    public void Convolve_ReflectMode_RepeatsEdgeSample()
    {
        // x[-1] = x[0] = 1 and x[4] = x[3] = 4 under half-sample reflection.
        var output = Convolution1D.Convolve([1.0, 2, 3, 4], [1.0, 2, 3], ConvolutionBoundary.Reflect);

        Assert.Equal([7.0, 10, 16, 21], output);
    }

    [Fact]
    public void Convolve_AsymmetricKernel_FlipsLikeConvolutionNotCorrelation()
    {
        // Weight at k = 0 reads x[i + 1]: the signal moves left, as scipy.ndimage.convolve1d does.
        var output = Convolution1D.Convolve([1.0, 2, 3], [1.0, 0, 0], ConvolutionBoundary.Constant);

        Assert.Equal([2.0, 3, 0], output);
    }

    [Fact]
    public void Convolve_EvenKernel_MatchesScipyDocExample()
    {
        // scipy.ndimage.convolve1d([2, 8, 0, 4, 1, 9, 9, 0], weights=[1, 3]) in its documentation.
        var output = Convolution1D.Convolve([2.0, 8, 0, 4, 1, 9, 9, 0], [1.0, 3], ConvolutionBoundary.Reflect);

        Assert.Equal([14.0, 24, 4, 13, 12, 36, 27, 0], output);
    }

    [Fact]
    public void Convolve_ReflectKernelWiderThanSignal_ReflectsRepeatedly()
    {
        // [1, 2] extends to x[-3..4] = 2 2 1 | 1 2 | 2 1 1; a width-7 box sums x[i-3..i+3]:
        // i = 0: 2+2+1+1+2+2+1 = 11, i = 1: 2+1+1+2+2+1+1 = 10.
        var output = Convolution1D.Convolve([1.0, 2], [1.0, 1, 1, 1, 1, 1, 1], ConvolutionBoundary.Reflect);

        Assert.Equal([11.0, 10], output);
    }

    [Fact]
    public void Convolve_ConstantValue_IsUsedForPadding()
    {
        var output = Convolution1D.Convolve([1.0], [1.0, 1, 1], ConvolutionBoundary.Constant, constantValue: 5);

        Assert.Equal([11.0], output);
    }

    [Fact]
    public void Convolve_EmptyInput_ReturnsEmpty()
    {
        Assert.Empty(Convolution1D.Convolve([], [1.0], ConvolutionBoundary.Reflect));
    }

    [Fact]
    public void Convolve_EmptyWeights_Throws()
    {
        Assert.Throws<ArgumentException>(() => Convolution1D.Convolve([1.0], [], ConvolutionBoundary.Constant));
    }

    [Fact]
    public void GaussianFilter_MatchesScipyDocExamples()
    {
        // scipy.ndimage.gaussian_filter1d([1, 2, 3, 4, 5], 1) and (…, 4) from its documentation;
        // sigma 4 has radius 16, so it exercises repeated reflection.
        AssertClose([1.42704095, 2.06782203, 3.0, 3.93217797, 4.57295905], GaussianFilter1D.Apply([1.0, 2, 3, 4, 5], 1));
        AssertClose([2.91948343, 2.95023502, 3.0, 3.04976498, 3.08051657], GaussianFilter1D.Apply([1.0, 2, 3, 4, 5], 4));
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-8);
        }
    }
}
