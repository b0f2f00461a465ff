namespace ConR.Shared.Preprocessing;

/// <summary>Why <see cref="SafeImageDecoder"/> refused an image.</summary>
public enum ImageDecodeError
{
    /// <summary>The bytes are not one of the accepted formats (JPEG, PNG, BMP, WebP), or use an unsupported variant.</summary>
    UnsupportedFormat,

    /// <summary>The bytes claim an accepted format but are damaged or truncated.</summary>
    Corrupt,

    /// <summary>The header declares more pixels than the caller allows, or more memory than the decoder may use.</summary>
    TooManyPixels,

    /// <summary>Decoding took longer than the caller allows.</summary>
    Timeout,

    /// <summary>
    /// The header declares sides more unequal than the caller allows (a 1 x 4,000,000 image is tiny as a file but
    /// costs seconds of CPU and gigabytes in a resize).
    /// </summary>
    ExtremeShape,
}

/// <summary>
/// Thrown by <see cref="SafeImageDecoder"/> when an image cannot or may not be decoded.
/// The message says what is wrong in words fit for a client; <see cref="Error"/> says it for code.
/// </summary>
public sealed class ImageDecodeException : Exception
{
    /// <summary>Initializes a new instance with <see cref="ImageDecodeError.Corrupt"/>.</summary>
    public ImageDecodeException()
        : this(ImageDecodeError.Corrupt, "The image could not be decoded.")
    {
    }

    /// <summary>Initializes a new instance with <see cref="ImageDecodeError.Corrupt"/>.</summary>
    public ImageDecodeException(string message)
        : this(ImageDecodeError.Corrupt, message)
    {
    }

    /// <summary>Initializes a new instance with <see cref="ImageDecodeError.Corrupt"/>.</summary>
    public ImageDecodeException(string message, Exception? innerException)
        : this(ImageDecodeError.Corrupt, message, innerException)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="error">The kind of failure.</param>
    /// <param name="message">What is wrong, for people.</param>
    /// <param name="innerException">The decoder's exception, if any.</param>
    public ImageDecodeException(ImageDecodeError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>Gets the kind of failure.</summary>
    public ImageDecodeError Error { get; }
}
