using ConR.Shared.Metrics;

namespace ConR.Api.Errors;

internal static class ProblemDetailsSetup
{
    /// <summary>
    /// Every error is a ProblemDetails: expected ones from handlers (<see cref="ApiProblemFilter"/>), binding failures
    /// and unexpected ones from <see cref="ApiExceptionHandler"/>, bodiless ones (404 route, 405) from status-code pages.
    /// </summary>
    public static IServiceCollection AddApiProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Detail ??= DefaultDetail(context.HttpContext, context.ProblemDetails.Status);

            // The Open Inference Protocol's clients read {"error": "..."}.
            if (context.HttpContext.Request.Path.StartsWithSegments("/v2"))
            {
                context.ProblemDetails.Extensions["error"] = context.ProblemDetails.Detail ?? context.ProblemDetails.Title;
            }
        });
        services.AddExceptionHandler<ApiExceptionHandler>();

        // Binding failures (missing body, "abc" for an int, a wrong content type) throw, so the exception handler can
        // answer with the framework's precise message in every environment, not an empty 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        // JSON has no NaN: metrics of empty groups (and NaN coverage) travel as null, as in the model card.
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new NanAsNullConverter()));
        return services;
    }

    // Errors the framework answers without a message (routing, status-code pages): say what was expected.
    private static string? DefaultDetail(HttpContext context, int? status) => status switch
    {
        StatusCodes.Status404NotFound => $"Nothing is served at {context.Request.Path}; the API is described at /swagger.",
        StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}; see /swagger.",
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than this endpoint accepts (Inference:MaxUploadBytes per image, Inference:MaxBatchUploadBytes per batch, Inference:MaxInferRequestBytes for KServe).",
        StatusCodes.Status415UnsupportedMediaType => $"Content-Type '{context.Request.ContentType}' is not accepted here: the image endpoints take multipart/form-data, the KServe infer endpoint application/json.",
        _ => null,
    };

    public static WebApplication UseApiProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

}
