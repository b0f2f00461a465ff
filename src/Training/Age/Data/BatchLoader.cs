using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using ConR.Shared.Preprocessing;
using ConR.Training.Engine;

namespace ConR.Training.Age.Data;

/// <summary>
/// Prepares one epoch of batches on background workers, so the training step overlaps with augmentation.
/// </summary>
/// <remarks>
/// <para>Determinism: the shuffle depends only on (seed, epoch), and each sample-view's augmentation only on
/// (seed, epoch, store index, view), so batch b holds the same bytes however the workers are scheduled, and a run
/// resumed at an epoch reproduces an uninterrupted one. Worker w builds batches w, w + workers, ... into its own bounded
/// channel and the consumer reads the channels round-robin, which keeps the batches in order.</para>
/// <para><see cref="Batches"/> is a plain (blocking) <see cref="IEnumerable{T}"/> because the training step is
/// synchronous; it may be enumerated once. Leaving the loop early, or <see cref="Dispose"/>, stops the workers.</para>
/// </remarks>
public sealed class BatchLoader : IDisposable
{
    private readonly ImageStore store;
    private readonly int[] order;
    private readonly int batchSize;
    private readonly int views;
    private readonly bool augment;
    private readonly int seed;
    private readonly int epoch;
    private readonly int workers;
    private readonly int prefetch;
    private readonly ImageSpec spec;
    private readonly AgeAugmenter augmenter;
    private readonly ConcurrentBag<float[]> pool = [];
    private readonly CancellationTokenSource cts = new();
    private Channel<HostBatch>[] channels = [];
    private Task[] workerTasks = [];
    private long waitTicks;
    private bool started;
    private bool disposed;

    /// <param name="store">The cached images.</param>
    /// <param name="indices">Store indices making up the epoch (a split, or a subset).</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="views">Views per sample (2 for ConR's two augmentations).</param>
    /// <param name="augment">true: <see cref="AgeAugmenter"/>; false: the eval transform.</param>
    /// <param name="shuffle">Shuffle the indices with a generator seeded by (seed, epoch).</param>
    /// <param name="dropLast">Drop a final batch shorter than batchSize.</param>
    /// <param name="seed">Run seed.</param>
    /// <param name="epoch">Epoch number; changes the shuffle and the augmentations.</param>
    /// <param name="workers">Background workers; 0 builds each batch on the consumer's thread.</param>
    /// <param name="prefetch">Batches that may wait, ready, for the consumer (at least one per worker).</param>
    /// <param name="spec">Normalization; its size must equal the store's.</param>
    /// <param name="cropPadding">The augmenter's crop padding; null: <see cref="AgeAugmenter.DefaultPadding"/>.</param>
    public BatchLoader(
        ImageStore store, IReadOnlyList<int> indices, int batchSize, int views, bool augment, bool shuffle, bool dropLast,
        int seed, int epoch, int workers, int prefetch, ImageSpec spec, int? cropPadding = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(views, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        ArgumentOutOfRangeException.ThrowIfLessThan(prefetch, 1);
        spec.Validate();
        if (spec.Width != store.Size || spec.Height != store.Size)
            throw new ArgumentException($"The spec is {spec.Width}x{spec.Height} but the store holds {store.Size}x{store.Size} images.", nameof(spec));
        foreach (int index in indices)
        {
            if ((uint)index >= (uint)store.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {index} is outside the store (0..{store.Count - 1}).");
        }

        this.store = store;
        this.batchSize = batchSize;
        this.views = views;
        this.augment = augment;
        this.seed = seed;
        this.epoch = epoch;
        this.workers = workers;
        this.prefetch = prefetch;
        this.spec = spec;
        augmenter = new AgeAugmenter(store.Size, cropPadding ?? AgeAugmenter.DefaultPadding(store.Size));
        order = [.. indices];
        if (shuffle) Shuffle(order, new Random(SeedMix.Mix(seed, epoch, -1, -1)));
        BatchCount = dropLast ? order.Length / batchSize : (order.Length + batchSize - 1) / batchSize;
    }

    public int BatchCount { get; }

    /// <summary>Gets the store indices in this epoch's order.</summary>
    public IReadOnlyList<int> Order => order;

    /// <summary>
    /// Gets the total time the consumer has waited for a batch; with 0 workers, the time spent building them.
    /// </summary>
    public TimeSpan WaitTime => new(Interlocked.Read(ref waitTicks));

    /// <summary>Yields the epoch's batches in order. Enumerate once.</summary>
    public IEnumerable<HostBatch> Batches()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (started) throw new InvalidOperationException("A BatchLoader yields one epoch once; create one per epoch.");
        started = true;
        return workers == 0 ? Inline() : FromWorkers();
    }

    /// <summary>
    /// Optionally hands a consumed batch's buffers back for reuse by later batches, sparing large allocations.
    /// The batch must not be read afterwards.
    /// </summary>
    public void Return(HostBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int full = batchSize * spec.TensorLength;
        foreach (var view in batch.Views)
        {
            if (view.Length == full && pool.Count < (prefetch + workers + 2) * views) pool.Add(view);
        }
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        StopWorkers();
        cts.Dispose();
    }

    private IEnumerable<HostBatch> Inline()
    {
        for (int b = 0; b < BatchCount; b++)
        {
            long start = Stopwatch.GetTimestamp();
            var batch = Build(b, cts.Token);
            Interlocked.Add(ref waitTicks, Stopwatch.GetElapsedTime(start).Ticks);
            yield return batch;
        }
    }

    private IEnumerable<HostBatch> FromWorkers()
    {
        StartWorkers();
        try
        {
            for (int b = 0; b < BatchCount; b++)
            {
                var reader = channels[b % workers].Reader;
                if (!reader.TryRead(out var batch))
                {
                    long start = Stopwatch.GetTimestamp();
                    batch = Read(reader);
                    Interlocked.Add(ref waitTicks, Stopwatch.GetElapsedTime(start).Ticks);
                }
                yield return batch;
            }
        }
        finally
        {
            StopWorkers();
        }
    }

    private HostBatch Read(ChannelReader<HostBatch> reader)
    {
        try
        {
            return reader.ReadAsync(cts.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException e) when (e.InnerException is not null)
        {
            // A worker failed: surface its exception, not the channel's.
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private void StartWorkers()
    {
        int capacity = Math.Max(1, (prefetch + workers - 1) / workers);
        var options = new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait };
        channels = new Channel<HostBatch>[workers];
        workerTasks = new Task[workers];
        for (int w = 0; w < workers; w++)
        {
            channels[w] = Channel.CreateBounded<HostBatch>(options);
            int worker = w;
            workerTasks[w] = Task.Factory.StartNew(
                () => Work(worker, cts.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    private void StopWorkers()
    {
        if (workerTasks.Length == 0) return;
        cts.Cancel();
        // Work never throws: it reports failures through its channel.
        Task.WaitAll(workerTasks);
        workerTasks = [];
    }

    private void Work(int worker, CancellationToken token)
    {
        var writer = channels[worker].Writer;
        try
        {
            for (int b = worker; b < BatchCount; b += workers)
            {
                var batch = Build(b, token);
                if (!writer.TryWrite(batch)) writer.WriteAsync(batch, token).AsTask().GetAwaiter().GetResult();
            }
            writer.TryComplete();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            writer.TryComplete();
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
        }
    }

    private HostBatch Build(int b, CancellationToken token)
    {
        int start = b * batchSize;
        int count = Math.Min(batchSize, order.Length - start);
        int length = spec.TensorLength;
        var buffers = new float[views][];
        for (int v = 0; v < views; v++)
            buffers[v] = count == batchSize && pool.TryTake(out var reused) ? reused : new float[count * length];
        var labels = new float[count];
        var indices = new int[count];
        for (int k = 0; k < count; k++)
        {
            token.ThrowIfCancellationRequested();
            int index = order[start + k];
            indices[k] = index;
            labels[k] = store.Sample(index).Label;
            var pixels = store.Pixels(index);
            if (!augment)
            {
                var first = buffers[0].AsSpan(k * length, length);
                ImagePreprocessor.ToChw(pixels, spec, first);
                for (int v = 1; v < views; v++) first.CopyTo(buffers[v].AsSpan(k * length, length));
                continue;
            }
            for (int v = 0; v < views; v++)
                augmenter.Augment(pixels, buffers[v].AsSpan(k * length, length), new Random(SeedMix.Mix(seed, epoch, index, v)), spec);
        }
        return new HostBatch(buffers, labels, indices, count);
    }

    private static void Shuffle(int[] items, Random rng)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
