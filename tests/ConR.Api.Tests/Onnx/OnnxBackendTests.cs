using ConR.Api.Onnx;
using ConR.Api.Options;
using ConR.Api.Tests.Support;

namespace ConR.Api.Tests.Onnx;

public sealed class OnnxBackendTests
{
    [Fact]
    public void Create_Fixture_ReadsTheGraphSignature()
    {
        using var backend = Factory().Create(Fixtures.Onnx("depth"), InferenceDevice.Cpu);

        Assert.Equal(OnnxBackendFactory.CpuProvider, backend.ExecutionProvider);
        Assert.Equal(new TensorSignature("image", "float32", [-1, 3, 24, 32]), backend.Inputs.Single(), SignatureComparer.Instance);
        Assert.Equal(new TensorSignature("depth", "float32", [-1, 1, 24, 32]), backend.Outputs.Single(), SignatureComparer.Instance);
    }

    [Fact]
    public void Run_WritesIntoTheCallersBuffer()
    {
        using var backend = Factory().Create(Fixtures.Onnx("age"), InferenceDevice.Cpu);
        var output = new float[3];

        backend.Run(new InferenceBatch("image", new float[3 * 3 * 16 * 16], [3, 3, 16, 16], "age", output, [3, 1]), CancellationToken.None);

        Assert.All(output, v => Assert.True(float.IsFinite(v) && v != 0));
    }

    [Fact]
    public void Run_CancelledToken_TerminatesTheRunAndThrowsOperationCanceled()
    {
        using var backend = Factory().Create(Fixtures.Onnx("depth"), InferenceDevice.Cpu);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var output = new float[24 * 32];

        var error = Assert.ThrowsAny<OperationCanceledException>(() =>
            backend.Run(new InferenceBatch("image", new float[3 * 24 * 32], [1, 3, 24, 32], "depth", output, [1, 1, 24, 32]), cancelled.Token));

        // ONNX Runtime itself stopped on the RunOptions terminate flag.
        var terminated = Assert.IsType<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(error.InnerException);
        Assert.Contains("terminate", terminated.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Create_Cuda_OnAHostWithoutCuda_ThrowsExecutionProviderUnavailable()
    {
        var factory = Factory();
        Assert.NotNull(factory.CudaUnavailableReason());

        var error = Assert.Throws<ExecutionProviderUnavailableException>(() => factory.Create(Fixtures.Onnx("age"), InferenceDevice.Cuda));

        Assert.Contains("CUDA", error.Message, StringComparison.Ordinal);
    }

    private static OnnxBackendFactory Factory() =>
        new(Microsoft.Extensions.Options.Options.Create(new InferenceOptions { IntraOpThreads = 1 }));

    private sealed class SignatureComparer : IEqualityComparer<TensorSignature>
    {
        public static readonly SignatureComparer Instance = new();

        public bool Equals(TensorSignature? x, TensorSignature? y) =>
            x is not null && y is not null && x.Name == y.Name && x.ElementType == y.ElementType && x.Dimensions.SequenceEqual(y.Dimensions);

        public int GetHashCode(TensorSignature obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
