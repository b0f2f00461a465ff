using System.Diagnostics;
using ConR.Api.Errors;
using ConR.Api.Hosting;
using ConR.Api.Imaging;
using ConR.Api.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ConR.Api.Age;

internal static class AgeEndpoints
{
    public static RouteGroupBuilder MapAgeEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Age");
        group.AddEndpointFilter<ApiProblemFilter>();
        group.RequireClientRateLimit();

        group.MapPost("/age", EstimateAge)
            .WithName("EstimateAge")
            .WithSummary("Estimate the age of one face")
            .WithDescription(
                "Multipart field `image` (JPEG, PNG, BMP or WebP; a multi-frame WebP is read from its first frame). Optional form " +
                "fields `x`, `y`, `width`, `height` crop a face box first (all four or none; empty values, or all four 0 as Swagger " +
                "UI pre-fills them, mean no box). The answer: the age in years; a " +
                "calibrated interval at `level` for the label mix `mix` (`natural`, the default: calibrated for ages distributed as in " +
                "the training data, narrow where faces are common; `balanced`: for every age range alike, so it also covers rare " +
                "ages, and is usually wider), whose `mix` field says which mix it really is (a package exported before card schema 2 has " +
                "only `balanced`, and `mixNote` says so); and `range`, the 5-year validation band the PREDICTED age falls in (`from`, `to`), " +
                "the training shot and count of the 1-year bin of the rounded prediction, and the validation MAE in that band. " +
                "Errors are ProblemDetails: 400 missing or misnamed field, empty file, partial face box, bad level or mix; 413 file over " +
                "Inference:MaxUploadBytes or image over Inference:MaxPixels (never decoded); 415 not an accepted image format; " +
                "422 truncated or corrupt image, or a face box outside the image; 429 rate limit; 503 queue full or model loading " +
                "(Retry-After); 504 inference timeout.")
            .DisableAntiforgery()
            .WithRequestBodyLimit(BodyLimit.SingleImage)
            .ProducesImageProblems();

        group.MapPost("/age/batch", EstimateAges)
            .WithName("EstimateAges")
            .WithSummary("Estimate the ages of several faces")
            .WithDescription(
                $"Several multipart fields named `image` (at most {InferenceOptions.MaxImagesPerRequest}); the answers come in the same " +
                "order, each as for POST /v1/age (same `level` and `mix`). No face boxes: send crops. One bad image fails the request, and the " +
                "ProblemDetails names it (image[i]).")
            .DisableAntiforgery()
            .WithRequestBodyLimit(BodyLimit.ImageBatch)
            .ProducesImageProblems();

        return group;
    }

    /// <summary>Estimates the age of one face.</summary>
    /// <param name="image">The face image: JPEG, PNG, BMP or WebP.</param>
    /// <param name="x">Face box left edge in pixels (optional; with y, width, height).</param>
    /// <param name="y">Face box top edge in pixels.</param>
    /// <param name="width">Face box width in pixels.</param>
    /// <param name="height">Face box height in pixels.</param>
    /// <param name="level">Interval level: 0.8, 0.9 (default) or 0.95.</param>
    /// <param name="mix">Label mix the interval is calibrated for: natural (default; ages as in the training data) or balanced (every age range alike, rare ages included).</param>
    /// <param name="context">The request.</param>
    /// <param name="services">The services the handler uses.</param>
    internal static async Task<Results<Ok<AgeResponse>, ProblemHttpResult>> EstimateAge(
        IFormFile? image,
        [FromForm] FormInt? x,
        [FromForm] FormInt? y,
        [FromForm] FormInt? width,
        [FromForm] FormInt? height,
        [FromQuery] string? level,
        [FromQuery] string? mix,
        HttpContext context,
        [AsParameters] InferenceServices services)
    {
        var started = Stopwatch.GetTimestamp();
        var file = Uploads.RequireImage(image, context.Request, batchRoute: "/v1/age/batch");
        var box = FaceBox.From(x, y, width, height);
        var requestedMix = Mixes.Parse(mix);
        using var lease = services.Registry.Acquire(services.Options.Value.AgeModel);
        var model = lease.Model;
        var chosenLevel = Levels.Parse(level, model.Profile.Lookup);
        var calibration = model.Profile.Lookup.TableFor(requestedMix);

        using var work = model.Scheduler.CreateWork(1, context.RequestAborted);
        using (await services.Images.EnterAsync(context.RequestAborted))
        using (var decoded = await services.Images.ReadAsync(file, "image", context.RequestAborted))
        {
            box?.Crop(decoded);
            Preprocessing.Into(decoded, model.Profile.ImageSpec, work.Input(0));
        }

        model.Scheduler.Submit(work);
        await work.Completion;
        return TypedResults.Ok(AgeAnswer.Create(model, work.Output(0)[0], chosenLevel, calibration, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
    }

    /// <summary>Estimates the ages of several faces, answered in order.</summary>
    /// <param name="image">The face images (several fields named image): JPEG, PNG, BMP or WebP.</param>
    /// <param name="level">Interval level: 0.8, 0.9 (default) or 0.95.</param>
    /// <param name="mix">Label mix the intervals are calibrated for: natural (default) or balanced.</param>
    /// <param name="context">The request.</param>
    /// <param name="services">The services the handler uses.</param>
    internal static async Task<Results<Ok<AgeResponse[]>, ProblemHttpResult>> EstimateAges(
        IFormFileCollection image,
        [FromQuery] string? level,
        [FromQuery] string? mix,
        HttpContext context,
        [AsParameters] InferenceServices services)
    {
        var started = Stopwatch.GetTimestamp();
        var files = Uploads.RequireImages(image, context.Request);
        var requestedMix = Mixes.Parse(mix);
        using var lease = services.Registry.Acquire(services.Options.Value.AgeModel);
        var model = lease.Model;
        var chosenLevel = Levels.Parse(level, model.Profile.Lookup);
        var calibration = model.Profile.Lookup.TableFor(requestedMix);

        using var work = model.Scheduler.CreateWork(files.Count, context.RequestAborted);
        for (var i = 0; i < files.Count; i++)
        {
            using (await services.Images.EnterAsync(context.RequestAborted))
            using (var decoded = await services.Images.ReadAsync(files[i], $"image[{i}]", context.RequestAborted))
            {
                Preprocessing.Into(decoded, model.Profile.ImageSpec, work.Input(i));
            }
        }

        model.Scheduler.Submit(work);
        await work.Completion;
        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var answers = new AgeResponse[files.Count];
        for (var i = 0; i < answers.Length; i++)
        {
            answers[i] = AgeAnswer.Create(model, work.Output(i)[0], chosenLevel, calibration, elapsedMs);
        }

        return TypedResults.Ok(answers);
    }
}
