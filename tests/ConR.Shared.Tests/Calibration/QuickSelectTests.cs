using ConR.Shared.Calibration;

namespace ConR.Shared.Tests.Calibration;

public class QuickSelectTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 100)]
    [InlineData(1_000, 1_000_000)] // all distinct
    [InlineData(1_000, 3)] // heavy duplicates
    [InlineData(5_000, 1)] // all equal
    public void Select_AnyK_EqualsSortedAndPartitions(int length, int distinct)
    {
        var random = new Random(length + distinct);
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = distinct == 0 ? 4 : random.Next(distinct);
        }

        var sorted = values.Order().ToArray();
        foreach (var k in new[] { 0, length / 3, length / 2, length - 1 })
        {
            var work = (double[])values.Clone();

            var selected = QuickSelect.Select<double>(work, k);

            Assert.Equal(sorted[k], selected);
            Assert.Equal(sorted[k], work[k]);
            Assert.All(work[..k], v => Assert.True(v <= selected));
            Assert.All(work[(k + 1)..], v => Assert.True(v >= selected));
        }
    }

    [Fact]
    public void Select_SortedAndReversedInput_StillCorrect()
    {
        double[] ascending = [.. Enumerable.Range(0, 10_000).Select(i => (double)i)];
        double[] descending = [.. ascending.Reverse()];

        Assert.Equal(9_000, QuickSelect.Select<double>(ascending, 9_000));
        Assert.Equal(123, QuickSelect.Select<double>(descending, 123));
    }
}
