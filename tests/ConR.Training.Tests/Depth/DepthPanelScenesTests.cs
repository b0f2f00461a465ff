using ConR.Training.Depth;

namespace ConR.Training.Tests.Depth;

public sealed class DepthPanelScenesTests
{
    [Fact]
    public void SpreadByDepth_TakesNearestFarthestAndEvenlyBetween_NearToFar()
    {
        // Mean depths by index: 5, 1, 9, 3, 7, 2, 8, 4, 6, 10 -> ordered indices 1, 5, 3, 7, 0, 8, 4, 6, 2, 9.
        float[] means = [5, 1, 9, 3, 7, 2, 8, 4, 6, 10];
        var truth = means.Select(m => new[] { m, m }).ToArray();

        // Positions 0, 3, 6, 9 of the order.
        Assert.Equal([1, 7, 4, 9], DepthPanelScenes.SpreadByDepth(truth, 4));
        Assert.Equal([1], DepthPanelScenes.SpreadByDepth(truth, 1));
    }

    [Fact]
    public void SpreadByDepth_LeavesOutHolesAndScenesWithoutTruth()
    {
        float[][] truth = [[2f, 0f, float.NaN], [float.NaN, 0f], [1f, 3f], [4f, -1f], [0.5f]];

        // Means 2, none, 2 (tie: lower index first), 4, 0.5.
        Assert.Equal([4, 0, 2, 3], DepthPanelScenes.SpreadByDepth(truth, 4));
        Assert.Equal([4, 0, 2, 3], DepthPanelScenes.SpreadByDepth(truth, 9));
        Assert.Empty(DepthPanelScenes.SpreadByDepth([[0f], [float.NaN]], 4));
    }
}
