using System.Globalization;
using System.Reflection;
using ConR.Api.Errors;
using ConR.Api.Hosting;
using ConR.Api.Models;
using ConR.Api.Options;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ConR.Api.KServe;

/// <summary>
/// A subset of the Open Inference Protocol (KServe v2) so existing v2 clients work: health, model metadata and
/// readiness, and JSON inference on the raw tensor. Errors are ProblemDetails carrying the protocol's "error" member.
/// </summary>
internal static class KServeEndpoints
{
    public const string Fp32 = "FP32";
    public const string Platform = "onnxruntime_onnx";

    public static RouteGroupBuilder MapKServeEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(string.Empty).WithTags("KServe v2");
        group.AddEndpointFilter<ApiProblemFilter>();

        group.MapGet("/v2", ServerInfo)
            .WithName("V2ServerMetadata")
            .WithSummary("Server metadata");
        group.MapGet("/v2/health/live", Live)
            .WithName("V2Live")
            .WithSummary("Liveness")
            .WithDescription("200 {\"live\": true} while the process serves HTTP.");
        group.MapGet("/v2/health/ready", Ready)
            .WithName("V2Ready")
            .WithSummary("Readiness")
            .WithDescription("200 {\"ready\": true} once every configured model is loaded and warmed up; 503 ProblemDetails before (the protocol allows any non-200).")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        var models = group.MapGroup("/v2/models");
        models.RequireClientRateLimit();
        models.MapGet("/{name}", Metadata)
            .WithName("V2ModelMetadata")
            .WithSummary("Model metadata")
            .WithDescription("Name, loaded version, platform, and the input and output tensors (-1 = dynamic dimension).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        models.MapGet("/{name}/ready", ModelReady)
            .WithName("V2ModelReady")
            .WithSummary("Model readiness")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        models.MapPost("/{name}/infer", Infer)
            .WithName("V2Infer")
            .WithSummary("Run the model on a raw tensor")
            .WithDescription(
                "JSON tensors as the Open Inference Protocol defines them: one input named as in the model's metadata, datatype " +
                $"FP32, shape [N, 3, H, W] with H and W from the model card and 1 <= N <= {InferenceOptions.MaxImagesPerRequest}, data row-major " +
                "and already preprocessed (normalised as the card's input spec says). Answers the model's raw output tensor. " +
                "400 for a wrong name, datatype, shape or data length.")
            .AcceptsInferRequest()
            .ProducesTensorProblems();

        // The versioned forms of the same three calls: only the version being served answers, others are 404.
        var versioned = models.MapGroup("/{name}/versions/{version}");
        versioned.MapGet(string.Empty, VersionMetadata)
            .WithName("V2ModelVersionMetadata")
            .WithSummary("Model metadata of one version")
            .WithDescription("As GET /v2/models/{name}, for the version being served; any other version is 404.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        versioned.MapGet("/ready", VersionReady)
            .WithName("V2ModelVersionReady")
            .WithSummary("Model readiness of one version")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        versioned.MapPost("/infer", VersionInfer)
            .WithName("V2VersionInfer")
            .WithSummary("Run one version of the model on a raw tensor")
            .WithDescription("As POST /v2/models/{name}/infer, for the version being served; any other version is 404.")
            .AcceptsInferRequest()
            .ProducesTensorProblems();
        return group;
    }

    /// <summary>Server metadata.</summary>
    internal static Ok<ServerMetadata> ServerInfo() =>
        TypedResults.Ok(new ServerMetadata(
            "conr-api",
            typeof(KServeEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            []));

    /// <summary>Liveness.</summary>
    internal static Ok<LiveResponse> Live() => TypedResults.Ok(new LiveResponse(true));

    /// <summary>Readiness: every configured model loaded and warmed up.</summary>
    /// <param name="registry">The model registry.</param>
    internal static Results<Ok<ReadyResponse>, ProblemHttpResult> Ready(ModelRegistry registry)
    {
        if (registry.IsReady)
        {
            return TypedResults.Ok(new ReadyResponse(true));
        }

        var waiting = registry.ConfiguredModels
            .Select(name => registry.Slot(name))
            .Where(slot => slot?.Current is null)
            .Select(slot => $"{slot!.Name} ({slot.State})");
        throw Problems.Unavailable($"Not ready: waiting for {string.Join(", ", waiting)}.", retryAfterSeconds: 5);
    }

    /// <summary>Model metadata.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="registry">The model registry.</param>
    internal static Ok<ModelMetadata> Metadata(string name, ModelRegistry registry)
    {
        using var lease = registry.Acquire(name);
        return TypedResults.Ok(Describe(lease.Model));
    }

    /// <summary>Model metadata of one version.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version (the one being served).</param>
    /// <param name="registry">The model registry.</param>
    internal static Ok<ModelMetadata> VersionMetadata(string name, string version, ModelRegistry registry)
    {
        using var lease = AcquireVersion(registry, name, version);
        return TypedResults.Ok(Describe(lease.Model));
    }

    /// <summary>Model readiness.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="registry">The model registry.</param>
    internal static Ok<ModelReadyResponse> ModelReady(string name, ModelRegistry registry)
    {
        using var lease = registry.Acquire(name);
        return TypedResults.Ok(new ModelReadyResponse(name, true));
    }

    /// <summary>Model readiness of one version.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version (the one being served).</param>
    /// <param name="registry">The model registry.</param>
    internal static Ok<ModelReadyResponse> VersionReady(string name, string version, ModelRegistry registry)
    {
        using var lease = AcquireVersion(registry, name, version);
        return TypedResults.Ok(new ModelReadyResponse(name, true));
    }

    /// <summary>Runs one version of the model on a raw input tensor.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="version">The version (the one being served).</param>
    /// <param name="registry">The model registry.</param>
    /// <param name="context">The request; its body is the inference request.</param>
    internal static Task<Results<Ok<InferResponse>, ProblemHttpResult>> VersionInfer(string name, string version, ModelRegistry registry, HttpContext context) =>
        RunAsync(AcquireVersion(registry, name, version), context);

    /// <summary>Runs the model on a raw input tensor.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="registry">The model registry.</param>
    /// <param name="context">The request; its body is the inference request.</param>
    internal static Task<Results<Ok<InferResponse>, ProblemHttpResult>> Infer(string name, ModelRegistry registry, HttpContext context) =>
        RunAsync(registry.Acquire(name), context);

    // Owns the lease: it is released when the run is answered. The body is read only once the model is known, so
    // its tensor is checked against the model's shape while it streams in.
    private static async Task<Results<Ok<InferResponse>, ProblemHttpResult>> RunAsync(ModelLease acquired, HttpContext context)
    {
        using var lease = acquired;
        var model = lease.Model;
        var name = model.Name;
        var layout = model.Profile.Layout;
        if (!context.Request.HasJsonContentType())
        {
            throw Problems.UnsupportedMediaType("The inference request must be JSON (Content-Type: application/json).");
        }

        using var request = await InferRequestReader.ReadAsync(context.Request.BodyReader, layout, context.RequestAborted);
        var n = CheckInput(request, model);

        using var work = model.Scheduler.CreateWork(n, context.RequestAborted);
        for (var i = 0; i < n; i++)
        {
            request.Data.Slice(i * layout.InputLength, layout.InputLength).CopyTo(work.Input(i));
        }

        model.Scheduler.Submit(work);
        await work.Completion;

        var data = new float[n * layout.OutputLength];
        for (var i = 0; i < n; i++)
        {
            work.Output(i).CopyTo(data.AsSpan(i * layout.OutputLength));
        }

        return TypedResults.Ok(new InferResponse(
            name,
            model.Version.ToString(CultureInfo.InvariantCulture),
            request.Id,
            [new InferOutput(layout.OutputName, Fp32, layout.OutputShape(n), data)]));
    }

    private static ModelMetadata Describe(LoadedModel model)
    {
        var card = model.Profile.Card;
        var layout = model.Profile.Layout;
        var batch = model.Profile.DynamicBatch ? -1 : 1;
        return new ModelMetadata(
            model.Name,
            [model.Version.ToString(CultureInfo.InvariantCulture)],
            Platform,
            [new TensorMetadata(card.Input.Name, Fp32, [batch, .. layout.InputItemDims])],
            [new TensorMetadata(layout.OutputName, Fp32, [batch, .. layout.OutputItemDims])]);
    }

    // One version is served per model (the registry swaps versions); asking for another is a 404, as in KServe.
    private static ModelLease AcquireVersion(ModelRegistry registry, string name, string version)
    {
        var lease = registry.Acquire(name);
        var served = lease.Model.Version;
        if (int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var asked) && asked == served)
        {
            return lease;
        }

        lease.Dispose();
        throw Problems.NotFound($"Model '{name}' version '{version}' is not served; version {served} is (POST /v1/models/{name}/load?version=N serves another).");
    }

    // The batch size N, after checking everything the protocol lets a client get wrong.
    private static int CheckInput(ParsedInferRequest request, LoadedModel model)
    {
        var layout = model.Profile.Layout;
        var expectedShape = $"[N, {string.Join(", ", layout.InputItemDims)}]";
        if (request.InputCount != 1)
        {
            throw Problems.BadRequest($"inputs must hold exactly one tensor, '{layout.InputName}' (got {request.InputCount}).");
        }

        if (request.Name != layout.InputName)
        {
            throw Problems.BadRequest($"inputs[0].name must be '{layout.InputName}' (got '{request.Name}').");
        }

        if (request.Datatype != Fp32)
        {
            throw Problems.BadRequest($"inputs[0].datatype must be {Fp32} (got '{request.Datatype}').");
        }

        if (request.Shape is not { Count: 4 } shape || !shape.Skip(1).SequenceEqual(layout.InputItemDims))
        {
            throw Problems.BadRequest($"inputs[0].shape must be {expectedShape} (got [{string.Join(", ", request.Shape ?? [])}]).");
        }

        if (shape[0] < 1 || shape[0] > InferenceOptions.MaxImagesPerRequest)
        {
            throw Problems.BadRequest($"inputs[0].shape[0] (N) must be 1 to {InferenceOptions.MaxImagesPerRequest} (got {shape[0]}).");
        }

        if (request.OutputNames.Any(o => o != layout.OutputName))
        {
            throw Problems.BadRequest($"outputs may only name '{layout.OutputName}' (got {string.Join(", ", request.OutputNames.Select(o => $"'{o}'"))}).");
        }

        var n = (int)shape[0];
        if (request.Count != n * layout.InputLength)
        {
            throw Problems.BadRequest($"inputs[0].data must hold {n * layout.InputLength} numbers for shape [{string.Join(", ", shape)}] (got {request.Count}).");
        }

        return n;
    }
}
