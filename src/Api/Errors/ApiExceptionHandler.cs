using ConR.Api.Hosting;
using ConR.Api.Options;
using Microsoft.AspNetCore.Diagnostics;

namespace ConR.Api.Errors;

/// <summary>
/// The last line: binding failures (BadHttpRequestException: missing or malformed fields, bodies over the limit)
/// keep their 4xx with the framework's message; anything unexpected is a 500 ProblemDetails without internals.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            ApiProblemException problem => (problem.Status, problem.Title, problem.Message),
            BadHttpRequestException { InnerException: InvalidDataException malformed } when IsMalformedForm(malformed) =>
                (StatusCodes.Status400BadRequest, TitleFor(StatusCodes.Status400BadRequest), $"The multipart body is malformed: {malformed.Message}"),
            BadHttpRequestException { InnerException: InvalidDataException limit } when limit.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) =>
                (StatusCodes.Status413PayloadTooLarge, TitleFor(StatusCodes.Status413PayloadTooLarge), FormLimitDetail(limit)),
            BadHttpRequestException bad => (bad.StatusCode, TitleFor(bad.StatusCode), DetailFor(bad, httpContext)),
            _ => (StatusCodes.Status500InternalServerError, "Internal server error", "An unexpected error occurred; the server log has the details under this trace id."),
        };

        if (status >= 500)
        {
            Log.UnhandledException(logger, httpContext.Request.Method, httpContext.Request.Path.Value ?? "/", exception);
        }

        if (exception is ApiProblemException { RetryAfterSeconds: int seconds })
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    private static string TitleFor(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "Payload too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        _ => "Bad request",
    };

    // The form reader's limits: the number of parts is the framework's (FormOptions), not a byte limit of ours.
    private static string FormLimitDetail(InvalidDataException limit) =>
        limit.Message.Contains("count limit", StringComparison.OrdinalIgnoreCase)
            ? $"The form has too many parts: {limit.Message} A request sends its `image` part(s) (POST /v1/age/batch: at most {InferenceOptions.MaxImagesPerRequest}) and the documented fields only, {RequestBodyLimits.MaxFormParts} parts in all."
            : $"The multipart body exceeds a limit: {limit.Message} (see Inference:MaxUploadBytes).";

    // The form reader's limits on a multipart body's framing (boundary length, part headers) are broken requests, not
    // large ones: no client sends a 129-character boundary or 16 KB of part headers by accident of size.
    private static bool IsMalformedForm(InvalidDataException exception) =>
        exception.Message.Contains("boundary", StringComparison.OrdinalIgnoreCase)
        || exception.Message.Contains("header", StringComparison.OrdinalIgnoreCase);

    // Kestrel's own wording for an over-limit body names no limit; say which one applies to the route called.
    private static string DetailFor(BadHttpRequestException exception, HttpContext context) =>
        exception.StatusCode == StatusCodes.Status413PayloadTooLarge ? RequestBodyLimits.OverLimitDetail(context) : exception.Message;
}
