namespace ConR.Deploy.Tests.Support.Docker;

/// <summary>A step of the Dockerfile failed as it would fail under <c>docker build</c>.</summary>
internal sealed class DockerBuildException : Exception
{
    public DockerBuildException()
    {
    }

    public DockerBuildException(string message)
        : base(message)
    {
    }

    public DockerBuildException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
