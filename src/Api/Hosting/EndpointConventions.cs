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

    /// <summary>The errors of a raw-tensor inference route (KServe v2 infer): no image decoding, so no 415 or 422.</summary>
    public static RouteHandlerBuilder ProducesTensorProblems(this RouteHandlerBuilder builder) =>
        builder
            .WithRequestBodyLimit(BodyLimit.InferJson)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
}
