namespace ConR.Training.Export;

/// <summary>
/// How an export stores the Conv and Gemm weights (its rank &gt;= 2 float tensors). Biases, batch-norm constants and
/// resize scales stay float32 either way, and the graph computes in float32 either way.
/// </summary>
public enum OnnxWeightStorage
{
    /// <summary>float32 initializers: the trained values as they are.</summary>
    Float32,

    /// <summary>
    /// float16 initializers, each read through a <c>Cast(to: FLOAT)</c> whose output has the weight's usual name: half the
    /// file. ONNX Runtime constant-folds the casts when it creates the session, so inference runs on float32 weights
    /// that hold float16 values.
    /// </summary>
    Float16,
}

/// <summary>The command-line and metadata names of <see cref="OnnxWeightStorage"/>.</summary>
public static class OnnxWeightStorageNames
{
    public const string Fp32 = "fp32", Fp16 = "fp16";

    /// <summary>"fp32" or "fp16" (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Any other value, with a message that names the accepted ones.</exception>
    public static OnnxWeightStorage Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        Fp32 => OnnxWeightStorage.Float32,
        Fp16 => OnnxWeightStorage.Float16,
        _ => throw new ArgumentException($"--weights must be {Fp32} or {Fp16} (got '{value}')"),
    };

    /// <summary>The ONNX element type name the weights are stored in: "float32" or "float16".</summary>
    public static string ElementType(OnnxWeightStorage storage) => storage switch
    {
        OnnxWeightStorage.Float32 => "float32",
        OnnxWeightStorage.Float16 => "float16",
        _ => throw new ArgumentOutOfRangeException(nameof(storage), storage, null),
    };
}
