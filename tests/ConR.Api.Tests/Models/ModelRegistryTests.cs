using System.Collections.Concurrent;
using ConR.Api.Errors;
using ConR.Api.Metrics;
using ConR.Api.Models;
using ConR.Api.Onnx;
using ConR.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ConR.Api.Tests.Models;

/// <summary>The model holder at the DI level (no web host): swaps, leases, failed loads, readiness, CPU fallback.</summary>
public sealed class ModelRegistryTests
{
    [Fact]
    public async Task LoadAsync_WhileRequestsRun_NoRequestFailsAndOldVersionsAreDisposed()
    {
        using var repository = new TempRepository();
        repository.AddVersion("age", 1, 2);
        repository.AddVersion("age", 1, 3);
        await using var services = InferenceContainer.Build(repository.Root, settings: new Dictionary<string, string?> { ["Inference:Models:0"] = "age" });
        var registry = services.GetRequiredService<ModelRegistry>();
        var loaded = new List<LoadedModel> { await registry.LoadAsync("age", 1, CancellationToken.None) };
        var errors = new ConcurrentQueue<Exception>();
        var versions = new ConcurrentDictionary<int, int>();
        using var stop = new CancellationTokenSource();

        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var (version, output) = await InferAsync(registry, "age");
                    Assert.True(float.IsFinite(output));
                    versions.AddOrUpdate(version, 1, (_, n) => n + 1);
                }
                catch (Exception ex)
                {
                    errors.Enqueue(ex);
                }
            }
        })).ToArray();

        foreach (var version in new[] { 2, 3, 1, 2, 3, 2 })
        {
            await Task.Delay(60);
            loaded.Add(await registry.LoadAsync("age", version, CancellationToken.None));
        }

        await Task.Delay(60);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Empty(errors);
        Assert.True(versions.Count >= 2, $"requests saw versions {string.Join(", ", versions.Keys)}");
        foreach (var retired in loaded[..^1])
        {
            await retired.Disposed.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.False(loaded[^1].Disposed.IsCompleted);
        Assert.Equal(2, registry.Acquire("age").Model.Version);
    }

    [Fact]
    public async Task Swap_WhileALeaseIsHeld_DisposesTheOldSessionOnlyAfterItIsReleased()
    {
        using var repository = new TempRepository();
        repository.AddVersion("age", 1, 2);
        var factory = default(TestBackendFactory);
        await using var services = InferenceContainer.Build(repository.Root, backends: real => factory = new TestBackendFactory(real, (inner, _) => new DelegatingBackend(inner)));
        var registry = services.GetRequiredService<ModelRegistry>();
        var first = await registry.LoadAsync("age", 1, CancellationToken.None);
        var firstBackend = (DelegatingBackend)factory!.Created.Single();
        var lease = registry.Acquire("age");

        await registry.LoadAsync("age", 2, CancellationToken.None);
        await Task.Delay(200);

        Assert.False(first.Disposed.IsCompleted);
        Assert.False(firstBackend.Disposed);
        Assert.Equal(2, registry.Acquire("age").Model.Version);

        // The lease still runs on version 1.
        using (var work = lease.Model.Scheduler.CreateWork(1, CancellationToken.None))
        {
            lease.Model.Scheduler.Submit(work);
            await work.Completion;
        }

        lease.Dispose();
        await first.Disposed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(firstBackend.Disposed);
    }

    [Fact]
    public async Task LoadAsync_BadPackage_ThrowsUnprocessableAndKeepsTheServingVersion()
    {
        using var repository = new TempRepository();
        var broken = repository.AddVersion("age", 1, 2);
        File.WriteAllBytes(Path.Combine(broken, "model.onnx"), [1, 2, 3]);
        await using var services = InferenceContainer.Build(repository.Root);
        var registry = services.GetRequiredService<ModelRegistry>();
        await registry.LoadAsync("age", 1, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ApiProblemException>(() => registry.LoadAsync("age", null, CancellationToken.None));

        Assert.Equal(422, error.Status);
        using var lease = registry.Acquire("age");
        Assert.Equal(1, lease.Model.Version);
        Assert.Equal("ready", registry.Slot("age")!.State);
        Assert.Contains("SHA-256", registry.Slot("age")!.LastError, StringComparison.Ordinal);
        Assert.Equal(1, services.GetRequiredService<ApiMetrics>().ModelLoads.Value("age", "failed"));
    }

    [Theory]
    [InlineData("age", "age/1")] // a folder copied as it was: the card still says version 1
    [InlineData("depth", "depth/1")] // another model's package under this model's name
    public async Task LoadAsync_CardThatDoesNotMatchItsFolder_IsRefusedAndTheServingVersionStays(string source, string describes)
    {
        using var repository = new TempRepository();
        var copy = Path.Combine(repository.Root, "age", "2");
        CopyDirectory(repository.Folder(source, 1), copy);
        await using var services = InferenceContainer.Build(repository.Root);
        var registry = services.GetRequiredService<ModelRegistry>();
        await registry.LoadAsync("age", 1, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ApiProblemException>(() => registry.LoadAsync("age", 2, CancellationToken.None));

        Assert.Equal(422, error.Status);
        Assert.Contains($"Package age/2: its model.json describes {describes}", error.Message, StringComparison.Ordinal);
        using var lease = registry.Acquire("age");
        Assert.Equal(1, lease.Model.Version);
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
    }

    [Fact]
    public async Task IsReady_OnlyOnceEveryConfiguredModelIsLoaded()
    {
        await using var services = InferenceContainer.Build(Fixtures.Repository);
        var registry = services.GetRequiredService<ModelRegistry>();
        Assert.Equal(["age", "depth"], registry.ConfiguredModels);
        Assert.False(registry.IsReady);
        Assert.Equal(503, Assert.Throws<ApiProblemException>(() => registry.Acquire("age")).Status);

        await registry.LoadAsync("age", null, CancellationToken.None);
        Assert.False(registry.IsReady);

        await registry.LoadAsync("depth", null, CancellationToken.None);
        Assert.True(registry.IsReady);
        Assert.Equal(404, Assert.Throws<ApiProblemException>(() => registry.Acquire("nope")).Status);
    }

    [Fact]
    public async Task FailingCudaSession_FallsBackToCpuAndNoRequestFails()
    {
        var logs = new LogSink();
        var cuda = new List<FailingCudaBackend>();
        await using var services = InferenceContainer.Build(
            Fixtures.Repository,
            logs,
            new Dictionary<string, string?> { ["Inference:Device"] = "auto", ["Inference:CircuitBreakerMinimumThroughput"] = "2" },
            real => new TestBackendFactory(
                real,
                (inner, device) =>
                {
                    if (device != Api.Options.InferenceDevice.Cuda)
                    {
                        return inner;
                    }

                    var backend = new FailingCudaBackend(inner);
                    cuda.Add(backend);
                    return backend;
                },
                cudaUnavailableReason: null));
        var registry = services.GetRequiredService<ModelRegistry>();
        var metrics = services.GetRequiredService<ApiMetrics>();
        var model = await registry.LoadAsync("age", null, CancellationToken.None);
        Assert.Equal(OnnxBackendFactory.CudaProvider, model.Runner.ExecutionProvider);
        var healthy = (await InferAsync(registry, "age")).Output;

        Assert.Single(cuda).Broken = true;
        var outputs = new List<float>();
        for (var i = 0; i < 8; i++)
        {
            outputs.Add((await InferAsync(registry, "age")).Output);
        }

        Assert.All(outputs, output => Assert.Equal(healthy, output, 4));
        Assert.True(model.Runner.Fallback.Active);
        Assert.Equal(OnnxBackendFactory.CpuProvider, model.Runner.ExecutionProvider);
        Assert.Equal(OnnxBackendFactory.CudaProvider, model.Runner.PrimaryProvider);
        Assert.Equal(1, metrics.CpuFallbacks.Value("age"));
        Assert.Equal(8, metrics.CpuFallbackRuns.Value("age"));
        Assert.Contains(logs.Lines, line => line.Contains("circuit opened, serving on CPUExecutionProvider", StringComparison.Ordinal));

        // While the circuit is open the CUDA session is not even tried.
        var triedBefore = cuda[0].Runs;
        await InferAsync(registry, "age");
        Assert.Equal(triedBefore, cuda[0].Runs);
    }

    // One zero image through the registry, as an endpoint does: lease, queue, wait.
    private static async Task<(int Version, float Output)> InferAsync(ModelRegistry registry, string name)
    {
        using var lease = registry.Acquire(name);
        using var work = lease.Model.Scheduler.CreateWork(1, CancellationToken.None);
        work.Input(0).Fill(0.25f);
        lease.Model.Scheduler.Submit(work);
        await work.Completion;
        return (lease.Model.Version, work.Output(0)[0]);
    }
}
