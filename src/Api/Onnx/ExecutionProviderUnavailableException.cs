namespace ConR.Api.Onnx;

/// <summary>The CUDA execution provider was asked for but cannot be loaded on this host.</summary>
internal sealed class ExecutionProviderUnavailableException : Exception
{
    public ExecutionProviderUnavailableException()
    {
    }

    public ExecutionProviderUnavailableException(string message)
        : base(message)
    {
    }

    public ExecutionProviderUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
