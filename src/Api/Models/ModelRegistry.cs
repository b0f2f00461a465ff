using System.Collections.Concurrent;
using ConR.Api.Errors;
using ConR.Api.Hosting;
using ConR.Api.Metrics;
using ConR.Api.Options;
using Microsoft.Extensions.Options;

namespace ConR.Api.Models;

/// <summary>
/// The singleton that holds every served model (the ML.NET "pool loader" pattern, minus the file watcher): requests
/// take leases on the current version; a load builds the new version off to the side, warms it up, and swaps it in
/// atomically; the old version is disposed once its last lease is released. A failed load changes nothing.
/// </summary>
internal sealed class ModelRegistry : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ModelSlot> slots = new(StringComparer.Ordinal);
    private readonly ModelLoader loader;
    private readonly ModelRepositoryLayout layout;
    private readonly ApiMetrics metrics;
    private readonly ILogger<ModelRegistry> logger;

    public ModelRegistry(ModelLoader loader, ModelRepositoryLayout layout, IOptions<InferenceOptions> options, ApiMetrics metrics, ILogger<ModelRegistry> logger)
    {
        this.loader = loader;
        this.layout = layout;
        this.metrics = metrics;
        this.logger = logger;
        ConfiguredModels = options.Value.Models.Count > 0 ? [.. options.Value.Models.Distinct(StringComparer.Ordinal)] : layout.ModelNames();
        foreach (var name in ConfiguredModels)
        {
            slots[name] = new ModelSlot(name);
        }

        metrics.ObserveModels(() => Slots.Select(slot => new ModelGaugeSample(
            slot.Name,
            slot.Current?.Scheduler.Waiting ?? 0,
            slot.Current is not null,
            slot.Current?.Version ?? 0,
            slot.Current?.Runner.Fallback.Active ?? false)));
    }

    /// <summary>Gets the names loaded at start-up; readiness waits for all of them.</summary>
    public IReadOnlyList<string> ConfiguredModels { get; }

    public IEnumerable<ModelSlot> Slots => slots.Values.OrderBy(s => s.Name, StringComparer.Ordinal);

    /// <summary>Gets whether every configured model has a loaded, warmed-up version.</summary>
    public bool IsReady => ConfiguredModels.All(name => slots.TryGetValue(name, out var slot) && slot.Current is not null);

    public ModelSlot? Slot(string name) => slots.GetValueOrDefault(name);

    /// <summary>A lease on the current version of <paramref name="name"/>.</summary>
    /// <exception cref="ApiProblemException">404 for a name not served; 503 while it is not loaded.</exception>
    public ModelLease Acquire(string name)
    {
        if (!slots.TryGetValue(name, out var slot))
        {
            throw Problems.NotFound($"No model named '{name}' is served (served: {string.Join(", ", slots.Keys.Order(StringComparer.Ordinal))}).");
        }

        return slot.TryAcquire()
            ?? throw Problems.Unavailable(
                slot.LastError is null ? $"Model '{name}' is still loading." : $"Model '{name}' is not loaded: {slot.LastError}",
                retryAfterSeconds: 5);
    }

    /// <summary>
    /// Loads <paramref name="version"/> (default: the newest) of <paramref name="name"/>, warms it up and makes it
    /// current; loads of one name run one at a time.
    /// </summary>
    /// <exception cref="ApiProblemException">404: no such model or version; 422: the package is unusable (the old version keeps serving).</exception>
    public async Task<LoadedModel> LoadAsync(string name, int? version, CancellationToken cancellationToken)
    {
        if (!ModelRepositoryLayout.IsValidName(name) || (!slots.ContainsKey(name) && layout.Versions(name).Count == 0))
        {
            throw Problems.NotFound($"The model repository has no model '{name}'.");
        }

        var slot = slots.GetOrAdd(name, static n => new ModelSlot(n));
        await slot.LoadLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            slot.BeginLoad();
            LoadedModel loaded;
            try
            {
                loaded = await Task.Run(() => loader.Load(name, version, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                var reason = ex is ApiProblemException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
                slot.LoadFailed(reason);
                metrics.ModelLoads.Increment(name, "failed");
                Log.ModelLoadFailed(logger, name, version, slot.Current?.Version, reason);
                throw;
            }

            var previous = slot.Swap(loaded);
            slot.LoadSucceeded();
            metrics.ModelLoads.Increment(name, "loaded");
            if (previous is not null)
            {
                Log.ModelSwapped(logger, name, previous.Version, loaded.Version, previous.References - 1);
                previous.Retire();
            }

            return loaded;
        }
        finally
        {
            slot.LoadLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        var retired = new List<Task>();
        foreach (var slot in slots.Values)
        {
            if (slot.Swap(null) is { } model)
            {
                model.Retire();
                retired.Add(model.Disposed);
            }
        }

        // Leases are short (one request); don't let a stuck one hold shutdown forever.
        await Task.WhenAny(Task.WhenAll(retired), Task.Delay(TimeSpan.FromSeconds(30))).ConfigureAwait(false);
    }
}
