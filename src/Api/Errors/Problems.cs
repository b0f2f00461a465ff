namespace ConR.Api.Errors;

// The expected failures, one factory each, so a status code and its wording are decided in one place.
internal static class Problems
{
    public static ApiProblemException BadRequest(string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(StatusCodes.Status400BadRequest, "Bad request", detail) { Extensions = extensions };

    public static ApiProblemException Unauthorized(string detail) =>
        new(StatusCodes.Status401Unauthorized, "Unauthorized", detail);

    public static ApiProblemException Forbidden(string detail) =>
        new(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static ApiProblemException NotFound(string detail) =>
        new(StatusCodes.Status404NotFound, "Not found", detail);

    public static ApiProblemException TooLarge(string detail) =>
        new(StatusCodes.Status413PayloadTooLarge, "Payload too large", detail);

    public static ApiProblemException UnsupportedMediaType(string detail) =>
        new(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", detail);

    public static ApiProblemException Unprocessable(string detail, Exception? inner = null) =>
        new(StatusCodes.Status422UnprocessableEntity, "Unprocessable", detail, inner);

    public static ApiProblemException Unavailable(string detail, int retryAfterSeconds) =>
        new(StatusCodes.Status503ServiceUnavailable, "Service unavailable", detail) { RetryAfterSeconds = retryAfterSeconds };

    public static ApiProblemException Timeout(string detail, Exception? inner = null) =>
        new(StatusCodes.Status504GatewayTimeout, "Inference timeout", detail, inner);

    public static ApiProblemException InferenceFailed(string detail, Exception? inner = null) =>
        new(StatusCodes.Status500InternalServerError, "Inference failed", detail, inner);
}
