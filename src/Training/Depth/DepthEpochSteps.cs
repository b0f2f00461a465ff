using System.Diagnostics;
using ConR.Shared.Imbalance.Depth;
using ConR.Training.Depth.Data;
using ConR.Training.Engine;

namespace ConR.Training.Depth;

/// <summary>
/// One depth epoch: the training scenes in an order fixed by (seed, epoch), batch after batch augmented (paired RGB and
/// depth, each scene's draw fixed by seed, epoch and index) into reused buffers, and trained on by the task's step.
/// </summary>
internal sealed class DepthEpochSteps(DepthData data, int batchSize, int seed, int epoch, int workers, Func<DepthEpochSteps.Batch, StepContext, StepLosses> step)
    : IEpochSteps
{
    private readonly int[] order = Shuffle(data.Train.Length, seed, epoch);
    private readonly Batch batch = new(
        new float[batchSize * data.TrainAugmenter.RgbLength],
        new float[batchSize * data.TrainAugmenter.DepthLength],
        new float[batchSize * data.TrainAugmenter.DepthLength]);
    private readonly Stopwatch waiting = new();
    private int next;

    public int Count { get; } = data.Train.Length / batchSize;

    public TimeSpan DataWait => waiting.Elapsed;

    public StepLosses? Next(StepContext context)
    {
        if (next >= Count) return null;
        waiting.Start();
        Fill(order.AsSpan(next * batchSize, batchSize));
        waiting.Stop();
        next++;
        return step(batch, context);
    }

    public void Dispose()
    {
    }

    private void Fill(ReadOnlySpan<int> indices)
    {
        var aug = data.TrainAugmenter;
        int[] idx = indices.ToArray();
        Parallel.For(0, idx.Length, new ParallelOptions { MaxDegreeOfParallelism = workers }, k =>
        {
            var s = data.Train[idx[k]];
            var rng = DepthAugmenter.RandomFor(seed, epoch, idx[k]);
            var d = batch.Depth.AsSpan(k * aug.DepthLength, aug.DepthLength);
            aug.Apply(s.Rgb, s.Width, s.Height, s.Depth, s.Width, s.Height, rng, batch.Rgb.AsSpan(k * aug.RgbLength, aug.RgbLength), d);
            DepthPixelWeights.PerPixel(d, data.BinWeights, DepthData.Bins, batch.Weights.AsSpan(k * aug.DepthLength, aug.DepthLength));
        });
    }

    private static int[] Shuffle(int n, int seed, int epoch)
    {
        var order = Enumerable.Range(0, n).ToArray();
        new Random(SeedMix.Mix(seed, epoch, -1, 1)).Shuffle(order);
        return order;
    }

    /// <summary>A batch's network input (CHW per scene), target depth and per-pixel weights, at the training sizes.</summary>
    public sealed record Batch(float[] Rgb, float[] Depth, float[] Weights);
}
