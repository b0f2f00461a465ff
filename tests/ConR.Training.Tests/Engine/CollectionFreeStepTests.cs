using System.Runtime;
using ConR.Training.Engine;

namespace ConR.Training.Tests.Engine;

/// <summary>
/// No garbage collection inside a training step, so TorchSharp's unkept Scalars cannot be finalized under a native call
/// (session 8: "Unknown scalar type" twice in one grid cell). Runs alone: a collection another test induces would end
/// the window early.
/// </summary>
[Collection(SeededTorchRuns.Name)]
public sealed class CollectionFreeStepTests
{
    // About 120 MB: well inside the window's budget.
    private const int Allocations = 120_000;
    private const int AllocationSize = 1_000;

    // Whether the same allocations collect without a window depends on the young generation's budget, which the
    // runtime sizes from what survived before (CI once went 120 MB without a collection): no baseline is asserted.
    [Fact]
    public void Window_NoCollectionWhileOpen_AndClosedAfter()
    {
        int inside;
        using (CollectionFreeStep.Open())
        {
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            inside = CollectionsDuring(Allocate);
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }

        Assert.Equal(0, inside);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void SecondWindow_WhileOneIsOpen_RunsWithout()
    {
        long before = CollectionFreeStep.Opened;
        using (CollectionFreeStep.Open())
        {
            using (CollectionFreeStep.Open())
            {
                Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            }
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode); // the inner one did not close the outer
        }

        Assert.Equal(before + 1, CollectionFreeStep.Opened);
        using (CollectionFreeStep.Open()) Assert.Equal(before + 2, CollectionFreeStep.Opened); // free again
    }

    [Fact]
    public void EpochDriver_RunsEveryStepInsideAWindow()
    {
        using var dir = new TempDir();
        var task = new LineFitTask();

        new EpochDriver<double, LineFitRecord>(new LineFitOptions { Epochs = 2 }, new RunDirectory(dir.Path), TextWriter.Null).Train(() => task, resume: false);

        Assert.Equal(6, task.StepLatencyModes.Count);
        Assert.All(task.StepLatencyModes, mode => Assert.Equal(GCLatencyMode.NoGCRegion, mode));
    }

    private static int CollectionsDuring(Action action)
    {
        int before = GC.CollectionCount(0);
        action();
        return GC.CollectionCount(0) - before;
    }

    private static void Allocate()
    {
        var kept = new List<byte[]>(Allocations);
        for (int i = 0; i < Allocations; i++) kept.Add(new byte[AllocationSize]);
        GC.KeepAlive(kept);
    }
}
