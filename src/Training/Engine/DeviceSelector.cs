using TorchSharp;
using static TorchSharp.torch;

namespace ConR.Training.Engine;

/// <summary>Maps --device auto|cpu|cuda to a TorchSharp device, failing clearly when CUDA was asked for but is absent.</summary>
public static class DeviceSelector
{
    public static Device Select(string requested, TextWriter log)
    {
        bool cudaAvailable = cuda.is_available();
        switch (requested.ToLowerInvariant())
        {
            case "cpu":
                return CPU;
            case "cuda" when cudaAvailable:
                return CUDA;
            case "cuda":
                throw new ConfigurationException("--device cuda: no CUDA device is usable. Build with -p:TorchDevice=cuda (TorchSharp-cuda-linux) on a GPU host, or use --device cpu.");
            case "auto":
                var device = cudaAvailable ? CUDA : CPU;
                log.WriteLine($"Device: {device.type} ({(cudaAvailable ? "CUDA available" : "no CUDA, using CPU")}, {torch.get_num_threads()} CPU threads)");
                return device;
            default:
                throw new ConfigurationException($"--device must be auto, cpu or cuda (got '{requested}')");
        }
    }
}
