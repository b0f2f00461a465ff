using ConR.Shared.Metrics;

namespace ConR.Shared.Tests.Metrics;

public class ErrorSummaryTests
{
    [Fact]
    public void FromErrors_OneTwoFour_GeometricMeanIsTwo()
    {
        var summary = ErrorSummary.FromErrors([1.0, -2.0, 4.0]);

        Assert.Equal(3, summary.Count);
        Assert.Equal(7 / 3.0, summary.Mae, 1e-12);
        Assert.Equal(21 / 3.0, summary.Mse, 1e-12);
        Assert.Equal(2.0, summary.Gm, 1e-12);
    }

    [Fact]
    public void FromErrors_ExactZero_IsFlooredAtOneE10()
    {
        // scipy gmean would give 0; the floor gives sqrt(1e-10 * 4).
        var summary = ErrorSummary.FromErrors([0.0, 4.0]);

        Assert.Equal(Math.Sqrt(4e-10), summary.Gm, 1e-15);
        Assert.Equal(2.0, summary.Mae);
    }

    [Fact]
    public void FromErrors_Empty_IsCountZeroAndNaN()
    {
        var summary = ErrorSummary.FromErrors([]);

        Assert.Equal(0, summary.Count);
        Assert.True(double.IsNaN(summary.Mae));
        Assert.True(double.IsNaN(summary.Mse));
        Assert.True(double.IsNaN(summary.Gm));
        Assert.Equal(ErrorSummary.Empty, summary);
    }
}
