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
    // Far more than the young generation's budget, well inside the window's.
    private const int Allocations = 120_000;
    private const int AllocationSize = 1_000;

    [Fact]
    public void Window_NoCollectionWhileOpen_ThoughTheSameAllocationsCollectWithoutIt()
    {
        int outside = CollectionsDuring(Allocate);
        int inside;
        using (CollectionFreeStep.Open())
        {
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            inside = CollectionsDuring(Allocate);
        }

        Assert.True(outside > 0, "the allocations should collect without a window");
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
