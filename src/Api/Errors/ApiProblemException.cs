namespace ConR.Api.Errors;

/// <summary>
/// An expected failure with the HTTP answer it deserves: thrown deep in the pipeline (decoding, queueing,
/// loading) and turned into a ProblemDetails response by <see cref="ApiProblemFilter"/>.
/// </summary>
internal sealed class ApiProblemException : Exception
{
    public ApiProblemException()
        : this(StatusCodes.Status500InternalServerError, "Error", "The request failed.")
    {
    }

    public ApiProblemException(string message)
        : this(StatusCodes.Status500InternalServerError, "Error", message)
    {
    }

    public ApiProblemException(string message, Exception? innerException)
        : this(StatusCodes.Status500InternalServerError, "Error", message, innerException)
    {
    }

    public ApiProblemException(int status, string title, string detail, Exception? innerException = null)
        : base(detail, innerException)
    {
        Status = status;
        Title = title;
    }

    public int Status { get; }

    public string Title { get; }

    /// <summary>Gets or sets the seconds a client should wait before retrying (503, 429), sent as Retry-After.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Gets extra ProblemDetails members, e.g. the fields a form did carry.</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }
}
