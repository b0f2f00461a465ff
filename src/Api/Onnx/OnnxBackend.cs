using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ConR.Api.Onnx;

/// <summary>An <see cref="InferenceSession"/> run through the OrtValue API over caller-owned (pooled) buffers.</summary>
internal sealed class OnnxBackend : IInferenceBackend
{
    private readonly InferenceSession session;

    public OnnxBackend(InferenceSession session, string executionProvider)
    {
        this.session = session;
        ExecutionProvider = executionProvider;
        Inputs = Signatures(session.InputMetadata);
        Outputs = Signatures(session.OutputMetadata);
    }

    public string ExecutionProvider { get; }

    public IReadOnlyList<TensorSignature> Inputs { get; }

    public IReadOnlyList<TensorSignature> Outputs { get; }

    public void Run(InferenceBatch batch, CancellationToken cancellationToken)
    {
        using var runOptions = new RunOptions();

        // Run takes no token: the only way to stop a run in progress is the terminate flag of its RunOptions. (A token
        // cancelled already sets it at once, and ORT refuses to start.)
        using var registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);

        // Both tensors wrap the pooled buffers (pinned while the OrtValues live): ORT reads the input in place and
        // writes the output straight into the caller's memory, no copies on the managed side.
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.Input, batch.InputShape);
        using var output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.Output, batch.OutputShape);
        try
        {
            session.Run(runOptions, [batch.InputName], [input], [batch.OutputName], [output]);
        }
        catch (OnnxRuntimeException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The inference was terminated.", ex, cancellationToken);
        }
    }

    public void Dispose() => session.Dispose();

    private static List<TensorSignature> Signatures(IReadOnlyDictionary<string, NodeMetadata> metadata) =>
        [.. metadata.Select(pair => new TensorSignature(
            pair.Key,
            pair.Value.IsTensor ? ElementTypeName(pair.Value.ElementDataType) : pair.Value.OnnxValueType.ToString(),
            [.. pair.Value.Dimensions.Select(d => (long)d)]))];

    private static string ElementTypeName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.Double => "float64",
        TensorElementType.Int64 => "int64",
        TensorElementType.Int32 => "int32",
        TensorElementType.UInt8 => "uint8",
        _ => type.ToString().ToLowerInvariant(),
    };
}
