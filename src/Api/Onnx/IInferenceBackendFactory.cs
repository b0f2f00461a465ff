using ConR.Api.Options;

namespace ConR.Api.Onnx;

/// <summary>Creates sessions; replaced in tests by fakes (slow, failing, gated) around the real one.</summary>
internal interface IInferenceBackendFactory
{
    /// <summary>Null when the CUDA execution provider loads on this host, else why it does not.</summary>
    string? CudaUnavailableReason();

    /// <summary>A session of the ONNX file on <paramref name="device"/> (<see cref="InferenceDevice.Cpu"/> or <see cref="InferenceDevice.Cuda"/>).</summary>
    /// <exception cref="ExecutionProviderUnavailableException">CUDA was asked for and cannot be used.</exception>
    /// <exception cref="Microsoft.ML.OnnxRuntime.OnnxRuntimeException">ONNX Runtime refused the model.</exception>
    IInferenceBackend Create(string onnxPath, InferenceDevice device);
}
