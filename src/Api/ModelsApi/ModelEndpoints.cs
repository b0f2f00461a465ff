using System.Globalization;
using ConR.Api.Errors;
using ConR.Api.Hosting;
using ConR.Api.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ConR.Api.ModelsApi;

internal static class ModelEndpoints
{
    public static RouteGroupBuilder MapModelEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Models");
        group.AddEndpointFilter<ApiProblemFilter>();
        group.RequireClientRateLimit();

        group.MapGet("/models", ListModels)
            .WithName("ListModels")
            .WithSummary("List the served models")
            .WithDescription("Every served model with its state, loaded version, the execution provider actually in use (and the CPU-fallback state), input spec, the card's metrics, per-range validation errors and calibration coverage.");

        group.MapGet("/models/{name}", GetModel)
            .WithName("GetModel")
            .WithSummary("Describe one model")
            .WithDescription("As one entry of GET /v1/models; 404 for a name that is not served.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/models/{name}/load", LoadModel)
            .WithName("LoadModel")
            .WithSummary("Load a model version (admin)")
            .WithDescription(
                "Needs header X-Api-Key (401 without it, 403 when wrong). Loads the newest version in the repository, or " +
                "`?version=N`; validates the card and the ONNX signature, warms the model up, and swaps it in atomically: " +
                "in-flight requests finish on the old version, which is disposed once they drain. A bad package changes " +
                "nothing and answers 422 with the reason; an unknown model or version answers 404. No file watching: " +
                "new versions are served only when loaded here (or at start-up).")
            .AddEndpointFilter<AdminKeyFilter>()
            .WithMetadata(new AdminEndpointMetadata())
            .RequireAdminRateLimit()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return group;
    }

    /// <summary>Lists the served models.</summary>
    /// <param name="registry">The model registry.</param>
    /// <param name="layout">The repository.</param>
    internal static Ok<ModelInfo[]> ListModels(ModelRegistry registry, ModelRepositoryLayout layout) =>
        TypedResults.Ok(registry.Slots.Select(slot => ModelInfoMapper.From(slot, layout.Versions(slot.Name))).ToArray());

    /// <summary>Describes one model.</summary>
    /// <param name="name">The model name, e.g. age.</param>
    /// <param name="registry">The model registry.</param>
    /// <param name="layout">The repository.</param>
    internal static Results<Ok<ModelInfo>, ProblemHttpResult> GetModel(string name, ModelRegistry registry, ModelRepositoryLayout layout) =>
        registry.Slot(name) is { } slot
            ? TypedResults.Ok(ModelInfoMapper.From(slot, layout.Versions(name)))
            : throw Problems.NotFound($"No model named '{name}' is served.");

    /// <summary>Loads a version of a model and swaps it in.</summary>
    /// <param name="name">The model name, e.g. age.</param>
    /// <param name="version">The version to load; default the newest in the repository.</param>
    /// <param name="registry">The model registry.</param>
    /// <param name="layout">The repository.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    internal static async Task<Results<Ok<ModelInfo>, ProblemHttpResult>> LoadModel(
        string name,
        [FromQuery] string? version,
        ModelRegistry registry,
        ModelRepositoryLayout layout,
        CancellationToken cancellationToken)
    {
        int? requested = null;
        if (version is not null)
        {
            if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            {
                throw Problems.BadRequest($"version must be a positive integer (got '{version}').");
            }

            requested = parsed;
        }

        await registry.LoadAsync(name, requested, cancellationToken);
        return TypedResults.Ok(ModelInfoMapper.From(registry.Slot(name)!, layout.Versions(name)));
    }
}

/// <summary>Marks an endpoint as admin-only (X-Api-Key) for the OpenAPI document.</summary>
internal sealed class AdminEndpointMetadata;
