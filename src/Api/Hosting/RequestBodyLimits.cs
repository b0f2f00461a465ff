using ConR.Api.Inference;
using ConR.Api.KServe;
using ConR.Api.Models;
using ConR.Api.Options;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ConR.Api.Hosting;

/// <summary>Which body limit an endpoint has.</summary>
internal enum BodyLimit
{
    /// <summary>One image: Inference:MaxUploadBytes plus room for the multipart framing and small fields.</summary>
    SingleImage,

    /// <summary>Several images: Inference:MaxBatchUploadBytes.</summary>
    ImageBatch,

    /// <summary>A KServe v2 JSON body: Inference:MaxInferRequestBytes, by default sized from the route's model.</summary>
    InferJson,
}

/// <summary>Endpoint metadata naming the endpoint's body limit.</summary>
internal sealed record RequestBodyLimitMetadata(BodyLimit Limit);

internal static class RequestBodyLimits
{
    /// <summary>Parts a form may hold: the most images a request takes plus room for the documented fields.</summary>
    public const int MaxFormParts = InferenceOptions.MaxImagesPerRequest + 8;

    // Multipart boundaries, part headers and the face-box fields.
    private const long MultipartOverheadBytes = 64 * 1024;

    public static TBuilder WithRequestBodyLimit<TBuilder>(this TBuilder builder, BodyLimit limit)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestBodyLimitMetadata(limit));

    /// <summary>
    /// Upload limits at three levels: a declared Content-Length over the endpoint's limit is refused before any byte is
    /// read (413 ProblemDetails); Kestrel enforces the same limit on bodies that do not declare it; and each multipart
    /// section is capped (FormOptions), so no part bigger than one image is ever buffered.
    /// </summary>
    public static IServiceCollection AddRequestBodyLimits(this IServiceCollection services)
    {
        services.AddOptions<FormOptions>().Configure<IOptions<InferenceOptions>>((form, inference) =>
        {
            form.MultipartBodyLengthLimit = inference.Value.MaxUploadBytes + MultipartOverheadBytes;

            // The framework's default is 1,024 parts, which a client can fill with image parts nobody reads; no
            // endpoint takes more than its images plus the face-box fields.
            form.ValueCountLimit = MaxFormParts;
        });
        return services;
    }

    public static IApplicationBuilder UseRequestBodyLimits(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<InferenceOptions>>();
        return app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<RequestBodyLimitMetadata>() is { } metadata)
            {
                // Null: the route's model is not being served; its handler answers 404/503 without reading the body.
                var limit = Bytes(metadata.Limit, options.Value, context);
                if (limit is null)
                {
                    await next(context);
                    return;
                }

                if (context.Request.ContentLength > limit)
                {
                    context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                    await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = context,
                        ProblemDetails =
                        {
                            Status = StatusCodes.Status413PayloadTooLarge,
                            Title = "Payload too large",
                            Detail = $"The request body is {context.Request.ContentLength} bytes; this endpoint accepts at most {limit} ({Setting(metadata.Limit)}).",
                        },
                    });
                    return;
                }

                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                {
                    feature.MaxRequestBodySize = limit;
                }
            }

            await next(context);
        });
    }

    private static long? Bytes(BodyLimit limit, InferenceOptions options, HttpContext context) => limit switch
    {
        BodyLimit.SingleImage => options.MaxUploadBytes + MultipartOverheadBytes,
        BodyLimit.ImageBatch => options.MaxBatchUploadBytes,
        _ => options.MaxInferRequestBytes ?? (ServedLayout(context) is { } layout ? InferRequestSize.LargestValidBytes(layout) : null),
    };

    private static TensorLayout? ServedLayout(HttpContext context) =>
        context.Request.RouteValues["name"] is string name
            ? context.RequestServices.GetRequiredService<ModelRegistry>().Slot(name)?.Current?.Profile.Layout
            : null;

    /// <summary>
    /// The 413 detail for a body found over its limit while it was read (sent without Content-Length, so the check
    /// above could not refuse it up front): the limit in bytes and the setting behind it, for the route that was called.
    /// </summary>
    public static string OverLimitDetail(HttpContext context)
    {
        // The exception handler runs with the endpoint cleared; its feature keeps the one that failed.
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<RequestBodyLimitMetadata>() is not { } metadata)
        {
            return "The request body is larger than this endpoint accepts.";
        }

        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        return $"The request body is larger than this endpoint accepts{(limit is null ? "" : $": at most {limit} bytes")} ({Setting(metadata.Limit)}).";
    }

    private static string Setting(BodyLimit limit) => limit switch
    {
        BodyLimit.SingleImage => "Inference:MaxUploadBytes per image",
        BodyLimit.ImageBatch => "Inference:MaxBatchUploadBytes",
        _ => "Inference:MaxInferRequestBytes",
    };
}
