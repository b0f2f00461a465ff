namespace ConR.Api.Hosting;

internal static class EndpointConventions
{
    /// <summary>Documents the ProblemDetails answers every image endpoint can give.</summary>
    public static RouteHandlerBuilder ProducesImageProblems(this RouteHandlerBuilder builder) =>
        builder
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

    /// <summary>The errors of a raw-tensor inference route (KServe v2 infer): no image decoding, so no 422.</summary>
    public static RouteHandlerBuilder ProducesTensorProblems(this RouteHandlerBuilder builder) =>
        builder
            .WithRequestBodyLimit(BodyLimit.InferJson)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

    /// <summary>
    /// Documents the JSON body of a KServe v2 infer route, which the handler reads itself (streaming, checked against
    /// the model's tensor as it arrives) instead of binding it.
    /// </summary>
    public static RouteHandlerBuilder AcceptsInferRequest(this RouteHandlerBuilder builder) =>
        builder.Accepts<KServe.InferRequest>("application/json");
}
