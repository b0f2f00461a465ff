using System.Buffers;
using System.Diagnostics;

namespace ConR.Api.Inference;

/// <summary>
/// The images of one request on their way through a model's queue: pooled input and output buffers, and one task
/// that completes when the worker is done with every image. The buffers belong to the worker from submission until
/// that task completes, so they are returned to the pool only after it (see <see cref="Dispose"/>).
/// </summary>
internal sealed class WorkBatch : IDisposable
{
    private readonly float[][] inputs;
    private readonly float[][] outputs;
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int remaining;
    private Exception? firstError;
    private bool submitted;
    private IArrivalCounter? announcedTo;

    public WorkBatch(int count, int inputLength, int outputLength, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Count = count;
        InputLength = inputLength;
        OutputLength = outputLength;
        CancellationToken = cancellationToken;
        inputs = new float[count][];
        outputs = new float[count][];
        for (var i = 0; i < count; i++)
        {
            inputs[i] = ArrayPool<float>.Shared.Rent(inputLength);
            outputs[i] = ArrayPool<float>.Shared.Rent(outputLength);
        }

        Items = [.. Enumerable.Range(0, count).Select(i => new WorkItem(this, i))];
        remaining = count;
    }

    public int Count { get; }

    public int InputLength { get; }

    public int OutputLength { get; }

    public CancellationToken CancellationToken { get; }

    public IReadOnlyList<WorkItem> Items { get; }

    /// <summary>Gets the task that completes when every image has been run, rejected or skipped.</summary>
    public Task Completion => completion.Task;

    /// <summary>Where image <paramref name="index"/>'s preprocessed tensor goes, before submission.</summary>
    public Span<float> Input(int index) => inputs[index].AsSpan(0, InputLength);

    /// <summary>Image <paramref name="index"/>'s model output, after <see cref="Completion"/>.</summary>
    public ReadOnlySpan<float> Output(int index) => outputs[index].AsSpan(0, OutputLength);

    internal ReadOnlyMemory<float> InputMemory(int index) => inputs[index].AsMemory(0, InputLength);

    internal Memory<float> OutputMemory(int index) => outputs[index].AsMemory(0, OutputLength);

    /// <summary>
    /// Tells <paramref name="counter"/> that this batch is being prepared and will be submitted soon, so the worker
    /// knows whether waiting for a fuller batch can pay off; <see cref="Withdraw"/> takes it back.
    /// </summary>
    internal void Announce(IArrivalCounter counter)
    {
        counter.Arriving(1);
        announcedTo = counter;
    }

    /// <summary>Ends the announcement, once: at submission, or at disposal when the request failed before it.</summary>
    internal void Withdraw() => Interlocked.Exchange(ref announcedTo, null)?.Arriving(-1);

    /// <summary>Gets the request's span at submission, the parent of its queue-wait span (default: none).</summary>
    internal ActivityContext Parent { get; private set; }

    internal void MarkSubmitted(long timestamp, ActivityContext parent)
    {
        submitted = true;
        Parent = parent;
        foreach (var item in Items)
        {
            item.EnqueuedTimestamp = timestamp;
        }
    }

    internal void ItemDone(Exception? error)
    {
        if (error is not null)
        {
            Interlocked.CompareExchange(ref firstError, error, null);
        }

        if (Interlocked.Decrement(ref remaining) == 0)
        {
            if (firstError is { } e)
            {
                completion.TrySetException(e);
            }
            else
            {
                completion.TrySetResult();
            }
        }
    }

    public void Dispose()
    {
        Withdraw();

        // A submitted batch whose worker has not finished still has its buffers in use; leaking them to the GC is
        // safe, returning them is not. Callers await Completion first, so this only happens on a bug.
        if (submitted && !completion.Task.IsCompleted)
        {
            Debug.Fail("WorkBatch disposed while the worker still owns its buffers.");
            return;
        }

        for (var i = 0; i < Count; i++)
        {
            ArrayPool<float>.Shared.Return(inputs[i]);
            ArrayPool<float>.Shared.Return(outputs[i]);
        }
    }
}

/// <summary>Counts requests that are preparing work for a queue (decoding, preprocessing) and will submit soon.</summary>
internal interface IArrivalCounter
{
    void Arriving(int delta);
}

/// <summary>One image of a <see cref="WorkBatch"/> in a model's queue.</summary>
internal sealed class WorkItem(WorkBatch owner, int index)
{
    public WorkBatch Owner => owner;

    public long EnqueuedTimestamp { get; set; }

    public bool IsCancelled => owner.CancellationToken.IsCancellationRequested;

    public ReadOnlyMemory<float> Input => owner.InputMemory(index);

    public Memory<float> Output => owner.OutputMemory(index);

    public void Complete() => owner.ItemDone(null);

    public void Fail(Exception error) => owner.ItemDone(error);
}
