namespace ConR.Recalibrate;

/// <summary>A file the tool needs is missing or unreadable; the message names it. Exit code 2.</summary>
internal sealed class RecalibrationInputException : Exception
{
    public RecalibrationInputException()
    {
    }

    public RecalibrationInputException(string message)
        : base(message)
    {
    }

    public RecalibrationInputException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
