namespace ConR.Api.Models;

/// <summary>A served model name: its current version (swapped atomically), and the outcome of its last load.</summary>
internal sealed class ModelSlot(string name)
{
    private LoadedModel? current;

    public string Name { get; } = name;

    /// <summary>Gets the lock that makes loads of this name one at a time.</summary>
    public SemaphoreSlim LoadLock { get; } = new(1, 1);

    public LoadedModel? Current => Volatile.Read(ref current);

    public bool Loading { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? LastErrorAt { get; private set; }

    /// <summary>Gets "ready", "loading", "failed" or "pending" (not yet tried).</summary>
    public string State => Current is not null ? "ready" : Loading ? "loading" : LastError is not null ? "failed" : "pending";

    /// <summary>A lease on the current version, or null when none is loaded.</summary>
    public ModelLease? TryAcquire()
    {
        while (true)
        {
            var model = Current;
            if (model is null)
            {
                return null;
            }

            // Fails only when that version was swapped out and drained in between; the next read sees its successor.
            if (model.TryAddReference())
            {
                return new ModelLease(model);
            }
        }
    }

    /// <summary>Makes <paramref name="next"/> current and returns the version it replaced.</summary>
    public LoadedModel? Swap(LoadedModel? next) => Interlocked.Exchange(ref current, next);

    public void BeginLoad() => Loading = true;

    public void LoadSucceeded()
    {
        Loading = false;
        LastError = null;
        LastErrorAt = null;
    }

    public void LoadFailed(string reason)
    {
        Loading = false;
        LastError = reason;
        LastErrorAt = DateTimeOffset.UtcNow;
    }
}
