using System.Collections.Concurrent;
using ConR.Api.Models;
using ConR.Api.Onnx;
using ConR.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ConR.Api.Tests.Inference;

/// <summary>
/// When the batch worker waits for a fuller batch: only while other requests are announced as preparing images.
/// The queue delay is set far above what any of these runs needs, so a wrong wait shows as a missed deadline.
/// </summary>
public sealed class BatchWaitTests
{
    // The longest delay the options accept; one run of the fixture model takes a few milliseconds.
    private static readonly TimeSpan LongDelay = TimeSpan.FromMilliseconds(1000);
    private static readonly TimeSpan WellBelowTheDelay = TimeSpan.FromMilliseconds(700);

    [Fact]
    public async Task LoneRequest_RunsAtOnceInsteadOfWaitingForTheQueueDelay()
    {
        await using var setup = await Setup.CreateAsync();
        using var lease = setup.Registry.Acquire("age");

        using var work = lease.Model.Scheduler.CreateWork(1, CancellationToken.None);
        lease.Model.Scheduler.Submit(work);

        await work.Completion.WaitAsync(WellBelowTheDelay);
        Assert.Equal([1], setup.BatchSizes);
    }

    [Fact]
    public async Task RequestStillPreparing_IsWaitedForAndJoinsTheBatch()
    {
        await using var setup = await Setup.CreateAsync();
        using var lease = setup.Registry.Acquire("age");
        var scheduler = lease.Model.Scheduler;

        using var first = scheduler.CreateWork(1, CancellationToken.None);
        using var second = scheduler.CreateWork(2, CancellationToken.None);
        Assert.Equal(2, scheduler.Arriving);
        scheduler.Submit(first);
        Assert.Equal(1, scheduler.Arriving);

        // The first image is held while the second request is still decoding ... (a blocking sleep, not Task.Delay:
        // under a loaded test run the delay's continuation can wait for a pool thread past the 1 s queue delay.)
        Thread.Sleep(100);
        Assert.False(first.Completion.IsCompleted);
        Assert.Empty(setup.BatchSizes);

        // ... and both run together as soon as it arrives.
        scheduler.Submit(second);
        await Task.WhenAll(first.Completion, second.Completion).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([3], setup.BatchSizes);
        Assert.Equal(0, scheduler.Arriving);
    }

    [Fact]
    public async Task RequestThatFailsBeforeSubmitting_StopsBeingWaitedFor()
    {
        await using var setup = await Setup.CreateAsync();
        using var lease = setup.Registry.Acquire("age");
        var scheduler = lease.Model.Scheduler;

        using var first = scheduler.CreateWork(1, CancellationToken.None);
        var failed = scheduler.CreateWork(1, CancellationToken.None);

        // A bad upload: the request ends (disposing its work) without submitting.
        failed.Dispose();
        failed.Dispose();
        Assert.Equal(1, scheduler.Arriving);
        scheduler.Submit(first);

        await first.Completion.WaitAsync(WellBelowTheDelay);
        Assert.Equal([1], setup.BatchSizes);
        Assert.Equal(0, scheduler.Arriving);
    }

    private sealed class Setup : IAsyncDisposable
    {
        private readonly TempRepository repository;
        private readonly ServiceProvider services;
        private readonly ConcurrentQueue<BatchRecordingBackend> backends;

        private Setup(TempRepository repository, ServiceProvider services, ConcurrentQueue<BatchRecordingBackend> backends, ModelRegistry registry)
        {
            this.repository = repository;
            this.services = services;
            this.backends = backends;
            Registry = registry;
        }

        public ModelRegistry Registry { get; }

        /// <summary>Gets the batch sizes of the runs since loading (warm-up excluded).</summary>
        public IReadOnlyList<long> BatchSizes => [.. backends.SelectMany(b => b.Sizes)];

        public static async Task<Setup> CreateAsync()
        {
            var repository = new TempRepository();
            repository.AddVersion("age", 1, 2);
            var backends = new ConcurrentQueue<BatchRecordingBackend>();
            var services = InferenceContainer.Build(
                repository.Root,
                settings: new Dictionary<string, string?>
                {
                    ["Inference:Models:0"] = "age",
                    ["Inference:MaxBatchSize"] = "8",
                    ["Inference:MaxQueueDelayMs"] = ((int)LongDelay.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                backends: real => new TestBackendFactory(real, (inner, _) =>
                {
                    var backend = new BatchRecordingBackend(inner);
                    backends.Enqueue(backend);
                    return backend;
                }));
            var registry = services.GetRequiredService<ModelRegistry>();
            await registry.LoadAsync("age", 1, CancellationToken.None);
            foreach (var backend in backends)
            {
                backend.Sizes.Clear();
            }

            return new Setup(repository, services, backends, registry);
        }

        public async ValueTask DisposeAsync()
        {
            await services.DisposeAsync();
            repository.Dispose();
        }
    }

    private sealed class BatchRecordingBackend(IInferenceBackend inner) : DelegatingBackend(inner)
    {
        public ConcurrentQueue<long> Sizes { get; } = new();

        public override void Run(InferenceBatch batch, CancellationToken cancellationToken)
        {
            Sizes.Enqueue(batch.InputShape[0]);
            base.Run(batch, cancellationToken);
        }
    }
}
