namespace ConR.Api.Errors;

/// <summary>
/// Turns an <see cref="ApiProblemException"/> from a handler into a ProblemDetails result with its status (and
/// Retry-After), so expected failures are answers, not server errors.
/// </summary>
internal sealed class ApiProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ApiProblemException problem)
        {
            if (problem.RetryAfterSeconds is int seconds)
            {
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return TypedResults.Problem(
                detail: problem.Message,
                statusCode: problem.Status,
                title: problem.Title,
                extensions: problem.Extensions);
        }
    }
}
