namespace ConR.Api.Options;

/// <summary>Where models run.</summary>
internal enum InferenceDevice
{
    /// <summary>CUDA when its execution provider loads on this host, else CPU (logged per model).</summary>
    Auto,

    /// <summary>CPU only.</summary>
    Cpu,

    /// <summary>CUDA only: start-up fails when the CUDA execution provider cannot be loaded.</summary>
    Cuda,
}
