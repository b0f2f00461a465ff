using System.Collections.Concurrent;
using ConR.Api.Onnx;
using ConR.Api.Options;

namespace ConR.Api.Tests.Support;

/// <summary>
/// A session factory for tests: real ONNX Runtime CPU sessions of the fixtures, wrapped by <paramref name="wrap"/>
/// (slow, failing, gated), and a CUDA that is "available" when <paramref name="cudaUnavailableReason"/> is null.
/// </summary>
internal sealed class TestBackendFactory(
    IInferenceBackendFactory real,
    Func<IInferenceBackend, InferenceDevice, IInferenceBackend> wrap,
    string? cudaUnavailableReason = "no CUDA in tests") : IInferenceBackendFactory
{
    public ConcurrentQueue<IInferenceBackend> Created { get; } = new();

    public string? CudaUnavailableReason() => cudaUnavailableReason;

    public IInferenceBackend Create(string onnxPath, InferenceDevice device)
    {
        var backend = wrap(real.Create(onnxPath, InferenceDevice.Cpu), device);
        Created.Enqueue(backend);
        return backend;
    }
}

/// <summary>Passes everything to a real session; subclasses change one behaviour.</summary>
internal class DelegatingBackend(IInferenceBackend inner) : IInferenceBackend
{
    public int Runs;

    public bool Disposed { get; private set; }

    public virtual string ExecutionProvider => inner.ExecutionProvider;

    public IReadOnlyList<TensorSignature> Inputs => inner.Inputs;

    public IReadOnlyList<TensorSignature> Outputs => inner.Outputs;

    public virtual void Run(InferenceBatch batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Runs);
        inner.Run(batch, cancellationToken);
    }

    public void Dispose()
    {
        Disposed = true;
        inner.Dispose();
    }
}

/// <summary>
/// Once <see cref="Slow"/> is set, each run first waits <paramref name="delay"/> unless cancelled, as a stuck GPU would;
/// a cancelled wait is recorded in <see cref="Terminated"/> and ends the run like ORT's terminate flag does.
/// </summary>
internal sealed class SlowBackend(IInferenceBackend inner, TimeSpan delay) : DelegatingBackend(inner)
{
    private readonly SemaphoreSlim started = new(0);

    public volatile bool Slow;

    public int Terminated;

    /// <summary>Waits until a slow run has started.</summary>
    public Task WaitStartedAsync() => started.WaitAsync(TimeSpan.FromSeconds(10));

    public override void Run(InferenceBatch batch, CancellationToken cancellationToken)
    {
        if (Slow)
        {
            started.Release();
            if (cancellationToken.WaitHandle.WaitOne(delay))
            {
                Interlocked.Increment(ref Terminated);
                throw new OperationCanceledException(cancellationToken);
            }
        }

        base.Run(batch, cancellationToken);
    }
}

/// <summary>A session that says it is on CUDA and, once <see cref="Broken"/> is set, fails every run as a faulty GPU would.</summary>
internal sealed class FailingCudaBackend(IInferenceBackend inner) : DelegatingBackend(inner)
{
    public volatile bool Broken;

    public override string ExecutionProvider => OnnxBackendFactory.CudaProvider;

    public override void Run(InferenceBatch batch, CancellationToken cancellationToken)
    {
        if (Broken)
        {
            Interlocked.Increment(ref Runs);
            throw new InvalidOperationException("CUDA failure: an illegal memory access was encountered (simulated)");
        }

        base.Run(batch, cancellationToken);
    }
}

/// <summary>Every run waits for <paramref name="gate"/>: holds warm-up, so readiness can be watched.</summary>
internal sealed class GatedBackend(IInferenceBackend inner, Task gate) : DelegatingBackend(inner)
{
    public override void Run(InferenceBatch batch, CancellationToken cancellationToken)
    {
        gate.Wait(cancellationToken);
        base.Run(batch, cancellationToken);
    }
}
