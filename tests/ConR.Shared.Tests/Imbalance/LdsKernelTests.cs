using ConR.Shared.Imbalance;

namespace ConR.Shared.Tests.Imbalance;

public class LdsKernelTests
{
    [Fact]
    public void Window_Gaussian5Sigma2_MatchesDigestReflectedValues()
    {
        // Radius 8 folds back into the length-5 delta several times, flattening the window.
        AssertClose([0.858285, 0.945828, 1.0, 0.945828, 0.858285], LdsKernel.Window(LdsKernelKind.Gaussian, 5, 2), 1e-6);
    }

    [Fact]
    public void Window_Gaussian5Sigma1_MatchesDigestValues()
    {
        AssertClose([0.146444, 0.606866, 1.0, 0.606866, 0.146444], LdsKernel.Window(LdsKernelKind.Gaussian, 5, 1), 1e-6);
    }

    [Fact]
    public void Window_Gaussian9Sigma1_IsPlainGaussianBecauseRadiusFits()
    {
        // Radius int(4 + 0.5) = 4 = half-width, so no reflection: exp(-x^2 / 2).
        double[] expected = [.. Enumerable.Range(-4, 9).Select(x => Math.Exp(-0.5 * x * x))];

        AssertClose(expected, LdsKernel.Window(LdsKernelKind.Gaussian, 9, 1), 1e-12);
        AssertClose([0.000335, 0.011109, 0.135335, 0.606531, 1.0], LdsKernel.Window(LdsKernelKind.Gaussian, 9, 1)[..5], 1e-6);
    }

    [Fact]
    public void Window_SizeOne_IsSingleOne()
    {
        Assert.Equal([1.0], LdsKernel.Window(LdsKernelKind.Gaussian, 1, 2));
        Assert.Equal([1.0], LdsKernel.Window(LdsKernelKind.Triang, 1, 2));
        Assert.Equal([1.0], LdsKernel.Window(LdsKernelKind.Laplace, 1, 2));
    }

    [Fact]
    public void Window_Triang5_MatchesScipyOddFormula()
    {
        // scipy triang(5) = 2n / 6 for n = 1..3, mirrored; the ends are not zero.
        AssertClose([1 / 3.0, 2 / 3.0, 1.0, 2 / 3.0, 1 / 3.0], LdsKernel.Window(LdsKernelKind.Triang, 5, 2), 1e-15);
    }

    [Fact]
    public void Window_Laplace5Sigma2_IsExpOfMinusHalfDistance()
    {
        var e = Math.Exp(-0.5);
        AssertClose([e * e, e, 1.0, e, e * e], LdsKernel.Window(LdsKernelKind.Laplace, 5, 2), 1e-15);
    }

    [Theory]
    [InlineData(4, 2.0)]
    [InlineData(0, 2.0)]
    [InlineData(-3, 2.0)]
    [InlineData(5, 0.0)]
    [InlineData(5, -1.0)]
    [InlineData(5, double.NaN)]
    public void Window_InvalidSizeOrSigma_Throws(int kernelSize, double sigma)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LdsKernel.Window(LdsKernelKind.Gaussian, kernelSize, sigma));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LdsOptions(LdsKernelKind.Gaussian, kernelSize, sigma).Validate());
    }

    [Fact]
    public void Validate_Defaults_AreGaussian5Sigma2AndValid()
    {
        var options = new LdsOptions();

        options.Validate();
        Assert.Equal(new LdsOptions(LdsKernelKind.Gaussian, 5, 2), options);
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], tolerance);
        }
    }
}
