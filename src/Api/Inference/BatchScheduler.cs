using System.Buffers;
using System.Diagnostics;
using System.Collections.Concurrent;
using ConR.Api.Errors;
using ConR.Api.Hosting;
using ConR.Api.Metrics;
using ConR.Api.Onnx;
using Polly.Timeout;

namespace ConR.Api.Inference;

/// <summary>
/// Dynamic batching for one model version (Triton's dynamic batcher): images wait in a queue, and one worker runs
/// them together, up to <see cref="SchedulerSettings.MaxBatchSize"/> per run, waiting at most
/// <see cref="SchedulerSettings.MaxQueueDelay"/> after the first one for the batch to fill. The queue is bounded
/// by a count of waiting images, so a request's images are admitted all or none; beyond the bound, 503.
/// The worker waits for a fuller batch only while other requests are still preparing their images
/// (<see cref="CreateWork"/> announces them): a lone request runs at once instead of paying the queue delay.
/// </summary>
internal sealed class BatchScheduler : IAsyncDisposable, IArrivalCounter
{
    private readonly ConcurrentQueue<WorkItem> queue = new();

    // Set by every enqueue and by disposal; the worker resets it before it looks at the queue, so no wake-up is lost.
    private readonly ManualResetEventSlim wake = new(initialState: false);
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool completing;
    private readonly ModelRunner runner;
    private readonly TensorLayout layout;
    private readonly SchedulerSettings settings;
    private readonly ApiMetrics metrics;
    private readonly ILogger logger;
    private readonly string model;
    private readonly float[] inputBuffer;
    private readonly float[] outputBuffer;
    private readonly Thread worker;
    private int waiting;
    private int arriving;

    public BatchScheduler(string model, ModelRunner runner, TensorLayout layout, SchedulerSettings settings, ApiMetrics metrics, ILogger logger)
    {
        this.model = model;
        this.runner = runner;
        this.layout = layout;
        this.settings = settings;
        this.metrics = metrics;
        this.logger = logger;
        inputBuffer = ArrayPool<float>.Shared.Rent(settings.MaxBatchSize * layout.InputLength);
        outputBuffer = ArrayPool<float>.Shared.Rent(settings.MaxBatchSize * layout.OutputLength);
        // A thread of its own: ORT's Run blocks for milliseconds, which on a thread-pool thread costs the pool a
        // worker and the requests extra hops and context switches.
        worker = new Thread(WorkLoop) { IsBackground = true, Name = $"conr-batch-{model}" };

        // Unsafe: without the creator's ExecutionContext, whose Activity.Current (the admin request that loaded the
        // model) would otherwise parent every batch's spans; each batch picks its parents from its requests.
        worker.UnsafeStart();
    }

    /// <summary>Gets the most images one run takes.</summary>
    public int MaxBatchSize => settings.MaxBatchSize;

    /// <summary>Gets the number of images waiting now.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    /// <summary>Gets the number of requests preparing images for this queue now.</summary>
    public int Arriving => Volatile.Read(ref arriving);

    /// <summary>
    /// A batch of <paramref name="count"/> images for this model, announced as arriving until it is submitted or
    /// disposed; create it before decoding so that the worker knows more images are on their way.
    /// </summary>
    /// <exception cref="ApiProblemException">
    /// 413: <paramref name="count"/> is more than the whole queue holds (a retry could never succeed); 503: the queue
    /// cannot take <paramref name="count"/> more images now.
    /// </exception>
    public WorkBatch CreateWork(int count, CancellationToken cancellationToken)
    {
        if (count > settings.MaxQueueLength)
        {
            metrics.Rejected.Add(count, model, "too_large");
            throw Problems.TooLarge(
                $"{count} images in one request are more than model '{model}''s queue holds ({settings.MaxQueueLength} images, Inference:MaxQueueLength): send at most {settings.MaxQueueLength} per request.");
        }

        // Admission before any decoding, so a full queue costs a refused request no CPU; Submit checks again.
        if (Volatile.Read(ref waiting) + count > settings.MaxQueueLength)
        {
            throw QueueFull(count);
        }

        var work = new WorkBatch(count, layout.InputLength, layout.OutputLength, cancellationToken);
        work.Announce(this);
        return work;
    }

    void IArrivalCounter.Arriving(int delta) => Interlocked.Add(ref arriving, delta);

    /// <summary>Queues every image of <paramref name="work"/>; the caller then awaits <see cref="WorkBatch.Completion"/>.</summary>
    /// <exception cref="ApiProblemException">503: the queue cannot take them all.</exception>
    public void Submit(WorkBatch work)
    {
        // Before queueing: the worker that takes these images must not wait for this very request.
        work.Withdraw();
        if (Interlocked.Add(ref waiting, work.Count) > settings.MaxQueueLength)
        {
            Interlocked.Add(ref waiting, -work.Count);
            throw QueueFull(work.Count);
        }

        // The request's span travels with the work to the worker thread, where the queue-wait span is recorded.
        work.MarkSubmitted(Stopwatch.GetTimestamp(), Activity.Current?.Context ?? default);
        foreach (var item in work.Items)
        {
            if (completing)
            {
                // Only after disposal, which waits for every lease: a caller without a lease.
                Interlocked.Decrement(ref waiting);
                item.Fail(Problems.Unavailable($"Model '{model}' is being unloaded.", settings.RetryAfterSeconds));
                continue;
            }

            queue.Enqueue(item);
        }

        wake.Set();
    }

    private ApiProblemException QueueFull(int count)
    {
        metrics.Rejected.Add(count, model, "queue_full");
        return Problems.Unavailable(
            $"Model '{model}''s queue cannot take {count} more images now ({Volatile.Read(ref waiting)} of {settings.MaxQueueLength} places taken); retry shortly.",
            settings.RetryAfterSeconds);
    }

    public async ValueTask DisposeAsync()
    {
        completing = true;
        wake.Set();
        await stopped.Task.ConfigureAwait(false);

        // Nothing can be queued after the worker stopped but by a caller without a lease; fail it rather than hang it.
        while (queue.TryDequeue(out var orphan))
        {
            Interlocked.Decrement(ref waiting);
            orphan.Fail(Problems.Unavailable($"Model '{model}' is being unloaded.", settings.RetryAfterSeconds));
        }

        wake.Dispose();
        ArrayPool<float>.Shared.Return(inputBuffer);
        ArrayPool<float>.Shared.Return(outputBuffer);
    }

    private void WorkLoop()
    {
        try
        {
            var batch = new List<WorkItem>(settings.MaxBatchSize);
            while (true)
            {
                wake.Reset();
                if (queue.IsEmpty)
                {
                    if (completing)
                    {
                        break;
                    }

                    wake.Wait();
                    continue;
                }

                batch.Clear();
                Collect(batch);
                if (batch.Count > 0)
                {
                    RunBatch(batch);
                }
            }

            stopped.TrySetResult();
        }
        catch (Exception ex)
        {
            stopped.TrySetException(ex);
        }
    }

    // Takes what is queued; if the batch is not full and other requests are still preparing images, waits for more
    // until the first image has waited MaxQueueDelay.
    private void Collect(List<WorkItem> batch)
    {
        var deadline = 0L;
        while (true)
        {
            wake.Reset();
            while (batch.Count < settings.MaxBatchSize && queue.TryDequeue(out var item))
            {
                Interlocked.Decrement(ref waiting);
                if (item.IsCancelled)
                {
                    item.Fail(new OperationCanceledException("The request was aborted while queued."));
                    continue;
                }

                if (batch.Count == 0)
                {
                    deadline = item.EnqueuedTimestamp + (long)(settings.MaxQueueDelay.TotalSeconds * Stopwatch.Frequency);
                }

                batch.Add(item);
            }

            var remaining = deadline - Stopwatch.GetTimestamp();
            if (batch.Count == 0 || batch.Count >= settings.MaxBatchSize || remaining <= 0 || Arriving == 0 || completing)
            {
                return;
            }

            if (!wake.Wait(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency)))
            {
                return;
            }
        }
    }

    private void RunBatch(List<WorkItem> batch)
    {
        var n = batch.Count;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < n; i++)
        {
            batch[i].Input.Span.CopyTo(inputBuffer.AsSpan(i * layout.InputLength, layout.InputLength));
            metrics.QueueWait.Observe(Stopwatch.GetElapsedTime(batch[i].EnqueuedTimestamp, started).TotalSeconds, model);
        }

        var provider = runner.ExecutionProvider;
        using var span = BatchTracing.Start(model, provider, batch, started);
        try
        {
            runner.Run(
                new InferenceBatch(
                    layout.InputName,
                    inputBuffer.AsMemory(0, n * layout.InputLength),
                    layout.InputShape(n),
                    layout.OutputName,
                    outputBuffer.AsMemory(0, n * layout.OutputLength),
                    layout.OutputShape(n)),
                CancellationToken.None);
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            var error = Describe(ex, n);
            foreach (var item in batch)
            {
                item.Fail(error);
            }

            return;
        }
        finally
        {
            metrics.BatchSize.Observe(n, model);
            metrics.InferenceDuration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds, model, provider);
        }

        for (var i = 0; i < n; i++)
        {
            outputBuffer.AsSpan(i * layout.OutputLength, layout.OutputLength).CopyTo(batch[i].Output.Span);
            batch[i].Complete();
        }
    }

    private ApiProblemException Describe(Exception exception, int images)
    {
        if (exception is TimeoutRejectedException)
        {
            metrics.Rejected.Add(images, model, "timeout");
            Log.InferenceTimedOut(logger, model, images, settings.TimeoutMs);
            return Problems.Timeout($"Inference of model '{model}' took longer than {settings.TimeoutMs} ms and was stopped.", exception);
        }

        metrics.Rejected.Add(images, model, "failed");
        Log.InferenceFailed(logger, model, images, exception);
        return Problems.InferenceFailed($"Model '{model}' failed to run this batch; the server log has the reason.", exception);
    }
}

/// <summary>The scheduler's knobs, from <see cref="Options.InferenceOptions"/>.</summary>
internal sealed record SchedulerSettings(int MaxBatchSize, TimeSpan MaxQueueDelay, int MaxQueueLength, int TimeoutMs)
{
    /// <summary>Gets what a full queue tells clients to wait: about one timeout, at least a second.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(TimeoutMs / 1000.0));
}

/// <summary>Names and per-image sizes of a model's input and output tensors; the batch dimension comes first.</summary>
internal sealed record TensorLayout(string InputName, long[] InputItemDims, string OutputName, long[] OutputItemDims)
{
    public int InputLength { get; } = checked((int)InputItemDims.Aggregate(1L, (a, b) => a * b));

    public int OutputLength { get; } = checked((int)OutputItemDims.Aggregate(1L, (a, b) => a * b));

    public long[] InputShape(int batch) => [batch, .. InputItemDims];

    public long[] OutputShape(int batch) => [batch, .. OutputItemDims];
}
