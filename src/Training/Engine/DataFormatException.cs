namespace ConR.Training.Engine;

/// <summary>
/// Thrown when a split file or one of its images is unusable. The message names the file and line,
/// as in "utkface_dir.csv:17: age 'abc' is not a number".
/// </summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException()
    {
    }

    public DataFormatException(string message)
        : base(message)
    {
    }

    public DataFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
