using ConR.Api.Options;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace ConR.Api.Onnx;

/// <summary>Creates ONNX Runtime sessions with the service's thread and provider settings.</summary>
internal sealed class OnnxBackendFactory(IOptions<InferenceOptions> options) : IInferenceBackendFactory
{
    public const string CudaProvider = "CUDAExecutionProvider";
    public const string CpuProvider = "CPUExecutionProvider";

    private readonly Lazy<string?> cudaUnavailableReason = new(() => ProbeCuda(options.Value.CudaDeviceId));

    public string? CudaUnavailableReason() => cudaUnavailableReason.Value;

    public IInferenceBackend Create(string onnxPath, InferenceDevice device)
    {
        using var sessionOptions = CreateSessionOptions(device);
        return new OnnxBackend(new InferenceSession(onnxPath, sessionOptions), device == InferenceDevice.Cuda ? CudaProvider : CpuProvider);
    }

    private SessionOptions CreateSessionOptions(InferenceDevice device)
    {
        var settings = options.Value;
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = settings.IntraOpThreads,
            InterOpNumThreads = 1,
        };
        try
        {
            sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", settings.AllowSpinning ? "1" : "0");
            if (device == InferenceDevice.Cuda)
            {
                AppendCuda(sessionOptions, settings.CudaDeviceId);
            }

            return sessionOptions;
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    private static void AppendCuda(SessionOptions sessionOptions, int deviceId)
    {
        if (!OrtEnv.Instance().GetAvailableProviders().Contains(CudaProvider))
        {
            throw new ExecutionProviderUnavailableException("this ONNX Runtime build has no CUDA execution provider");
        }

        // The provider list says what the library was built with, not what loads: appending it dlopens the CUDA
        // provider and its CUDA 13 / cuDNN 9 libraries, and throws here when any is missing.
        try
        {
            using var cuda = new OrtCUDAProviderOptions();
            cuda.UpdateOptions(new Dictionary<string, string>
            {
                ["device_id"] = deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),

                // EXHAUSTIVE (the default) re-benchmarks every convolution for each new batch size.
                ["cudnn_conv_algo_search"] = "HEURISTIC",
            });
            sessionOptions.AppendExecutionProvider_CUDA(cuda);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ExecutionProviderUnavailableException($"the CUDA execution provider did not load: {ex.Message.Trim()}", ex);
        }
    }

    private static string? ProbeCuda(int deviceId)
    {
        try
        {
            using var probe = new SessionOptions();
            AppendCuda(probe, deviceId);
            return null;
        }
        catch (ExecutionProviderUnavailableException ex)
        {
            return ex.Message;
        }
    }
}
