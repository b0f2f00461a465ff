using ConR.GpuSmoke;

namespace ConR.Deploy.Tests.GpuSmoke;

public sealed class ParityTests
{
    [Fact]
    public void MaxRelativeDifference_SameOutputs_IsZero()
    {
        Assert.Equal(0, Parity.MaxRelativeDifference([1f, -2f, 30f], [1f, -2f, 30f]));
    }

    [Fact]
    public void MaxRelativeDifference_IsRelativeToEachValue()
    {
        var difference = Parity.MaxRelativeDifference([40.004f, 2f], [40f, 2f]);

        Assert.InRange(difference, 0.9e-4, 1.1e-4);
    }

    [Fact]
    public void MaxRelativeDifference_NearZeroValues_AreMeasuredAgainstOnePercentOfTheLargest()
    {
        // 1e-4 off a value of 1e-6 would be 100x "relative"; against 1% of 10 it is 1e-3.
        var difference = Parity.MaxRelativeDifference([10f, 1e-4f + 1e-6f], [10f, 1e-6f]);

        Assert.InRange(difference, 0.9e-3, 1.1e-3);
    }

    [Fact]
    public void MaxRelativeDifference_NaN_FailsTheTolerance()
    {
        Assert.True(Parity.MaxRelativeDifference([float.NaN], [1f]) > Parity.Tolerance);
    }
}
