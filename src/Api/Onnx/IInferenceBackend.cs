namespace ConR.Api.Onnx;

/// <summary>One loaded ONNX model on one execution provider. <see cref="Run"/> may be called from any thread.</summary>
internal interface IInferenceBackend : IDisposable
{
    /// <summary>Gets the provider the session really runs on, e.g. "CUDAExecutionProvider" or "CPUExecutionProvider".</summary>
    string ExecutionProvider { get; }

    IReadOnlyList<TensorSignature> Inputs { get; }

    IReadOnlyList<TensorSignature> Outputs { get; }

    /// <summary>
    /// Runs one batch: reads <see cref="InferenceBatch.Input"/>, writes <see cref="InferenceBatch.Output"/>.
    /// Cancelling <paramref name="cancellationToken"/> stops a run in progress and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    void Run(InferenceBatch batch, CancellationToken cancellationToken);
}

/// <summary>The tensors of one run: float32, row-major, in memory the caller owns until <c>Run</c> returns.</summary>
internal sealed record InferenceBatch(
    string InputName,
    Memory<float> Input,
    long[] InputShape,
    string OutputName,
    Memory<float> Output,
    long[] OutputShape);

/// <summary>An ONNX graph input or output: name, element type ("float32", ...) and dimensions, -1 where dynamic.</summary>
internal sealed record TensorSignature(string Name, string ElementType, IReadOnlyList<long> Dimensions);
