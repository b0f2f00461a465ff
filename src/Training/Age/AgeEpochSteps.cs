using ConR.Training.Age.Data;
using ConR.Training.Engine;

namespace ConR.Training.Age;

/// <summary>One age epoch: the batches of a <see cref="BatchLoader"/>, each trained on by the task's step and then recycled.</summary>
internal sealed class AgeEpochSteps(BatchLoader loader, int count, Func<HostBatch, StepContext, StepLosses> step) : IEpochSteps
{
    private readonly IEnumerator<HostBatch> batches = loader.Batches().GetEnumerator();

    public int Count { get; } = count;

    public TimeSpan DataWait => loader.WaitTime;

    public StepLosses? Next(StepContext context)
    {
        if (!batches.MoveNext()) return null;
        var batch = batches.Current;
        var losses = step(batch, context);
        loader.Return(batch); // the step's tensors copied the buffers; recycle them for the next batch
        return losses;
    }

    public void Dispose()
    {
        batches.Dispose();
        loader.Dispose();
    }
}
