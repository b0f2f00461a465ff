using ConR.Api.Hosting;
using ConR.Api.Inference;

namespace ConR.Api.Models;

/// <summary>
/// One loaded, warmed-up model version: its profile, session(s) and queue. Reference-counted: the registry holds one
/// reference while the version is current and each request holds one through a <see cref="ModelLease"/>; when a
/// newer version replaces it, the registry lets go, and the last request to finish disposes it. So in-flight
/// requests always finish on the session they started on, and a session is never disposed under a run.
/// </summary>
internal sealed class LoadedModel
{
    private readonly TaskCompletionSource disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger logger;
    private int references = 1;

    public LoadedModel(string name, int version, string folder, ModelProfile profile, ModelRunner runner, BatchScheduler scheduler, ILogger logger)
    {
        Name = name;
        Version = version;
        Folder = folder;
        Profile = profile;
        Runner = runner;
        Scheduler = scheduler;
        this.logger = logger;
        LoadedAt = DateTimeOffset.UtcNow;
    }

    public string Name { get; }

    public int Version { get; }

    public string Folder { get; }

    public ModelProfile Profile { get; }

    public ModelRunner Runner { get; }

    public BatchScheduler Scheduler { get; }

    public DateTimeOffset LoadedAt { get; }

    /// <summary>Gets a task that completes once the version is retired, drained and its sessions disposed.</summary>
    public Task Disposed => disposed.Task;

    /// <summary>Gets the references held now (the registry's and the leases').</summary>
    public int References => Volatile.Read(ref references);

    /// <summary>Takes a reference unless the count already reached zero (retired and drained).</summary>
    public bool TryAddReference()
    {
        while (true)
        {
            var current = Volatile.Read(ref references);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref references) == 0)
        {
            _ = DisposeAsync();
        }
    }

    /// <summary>Drops the registry's reference: the version is no longer current.</summary>
    public void Retire() => Release();

    private async Task DisposeAsync()
    {
        try
        {
            await Scheduler.DisposeAsync().ConfigureAwait(false);
            Runner.Dispose();
            Log.ModelDisposed(logger, Name, Version);
        }
        catch (Exception ex)
        {
            Log.ModelDisposeFailed(logger, Name, Version, ex);
        }
        finally
        {
            disposed.TrySetResult();
        }
    }
}

/// <summary>A request's hold on one model version; dispose it when the response no longer needs the model.</summary>
internal sealed class ModelLease(LoadedModel model) : IDisposable
{
    private int released;

    public LoadedModel Model { get; } = model;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0)
        {
            Model.Release();
        }
    }
}
