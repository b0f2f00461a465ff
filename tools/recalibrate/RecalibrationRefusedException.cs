namespace ConR.Recalibrate;

/// <summary>
/// The tool will not write the next version: the reproduced metrics differ from the card's, the package does not hold
/// together, the calibration data is not independent of the model's data, or the version exists. Exit code 1.
/// </summary>
internal sealed class RecalibrationRefusedException : Exception
{
    public RecalibrationRefusedException()
    {
    }

    public RecalibrationRefusedException(string message)
        : base(message)
    {
    }

    public RecalibrationRefusedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
