using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using ConR.Api.Age;
using ConR.Api.Errors;
using ConR.Api.Hosting;
using ConR.Api.Imaging;
using ConR.Shared.ModelPackage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ConR.Api.Depth;

internal static class DepthEndpoints
{
    public const string Json = "json", Png16 = "png16", Colormap = "colormap";

    public static RouteGroupBuilder MapDepthEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Depth");
        group.AddEndpointFilter<ApiProblemFilter>();
        group.RequireClientRateLimit();

        group.MapPost("/depth", EstimateDepth)
            .WithName("EstimateDepth")
            .WithSummary("Estimate a depth map")
            .WithDescription(
                "Multipart field `image` (JPEG, PNG, BMP or WebP). The map has the model's output resolution. `format=json` " +
                "(default): width, height, units, min/max, the depth map and the uncertainty map (interval half-width per pixel " +
                "at `level`, calibrated for the label mix `mix`: `natural`, the default, for depths distributed as in the training " +
                "pixels, or `balanced`, for every depth range alike; the answer's `mix` says which it really is, and `mixNote` why " +
                "when a package from before card schema 2 has only `balanced`) as base64 little-endian float32 row-major, and " +
                "`ranges`: per depth range present {from, to, shot, pixelFraction, valRmse, halfWidth}. `format=png16`: a 16-bit " +
                "greyscale PNG in millimetres (headers X-Depth-Pixel-Units: millimetres, X-Depth-Scale: 0.001 m per unit). " +
                "`format=colormap`: an 8-bit turbo-like colour PNG, dark blue at the map's minimum and dark red at its maximum. " +
                "Both PNG formats give the map's range in the X-Depth-Min and X-Depth-Max headers, in the units of X-Depth-Units " +
                "(always metres), and carry no interval, so `mix` does not change them. Errors as for POST /v1/age; 400 for a bad " +
                "`format`, `level` or `mix`.")
            .DisableAntiforgery()
            .WithRequestBodyLimit(BodyLimit.SingleImage)
            .WithMetadata(new PngResponseMetadata())
            .ProducesImageProblems();

        // The PNG answers as operations of their own: one operation answering JSON or PNG is read as JSON by
        // generated clients. Same handler, same headers; `format` is fixed by the route.
        foreach (var format in new[] { Png16, Colormap })
        {
            group.MapPost($"/depth/{format}", async (IFormFile? image, [FromQuery] string? level, HttpContext context, [AsParameters] InferenceServices services) =>
                    (FileContentHttpResult)(await EstimateDepth(image, format, level, null, context, services)).Result)
                .WithName(format == Png16 ? "EstimateDepthPng16" : "EstimateDepthColormap")
                .WithSummary(format == Png16 ? "Estimate a depth map as a 16-bit PNG in millimetres" : "Estimate a depth map as a colour PNG")
                .WithDescription($"The same as POST /v1/depth?format={format}, as an operation whose only answer is the PNG (headers as described there).")
                .DisableAntiforgery()
                .WithRequestBodyLimit(BodyLimit.SingleImage)
                .Produces(StatusCodes.Status200OK, contentType: "image/png")
                .WithMetadata(new PngResponseMetadata(Only: true))
                .ProducesImageProblems();
        }

        return group;
    }

    /// <summary>Estimates the depth of every pixel.</summary>
    /// <param name="image">The image: JPEG, PNG, BMP or WebP.</param>
    /// <param name="format">json (default), png16 or colormap.</param>
    /// <param name="level">Interval level of the uncertainty map: 0.8, 0.9 (default) or 0.95.</param>
    /// <param name="mix">Label mix the uncertainty map is calibrated for: natural (default; depths as in the training pixels) or balanced (every depth range alike).</param>
    /// <param name="context">The request.</param>
    /// <param name="services">The services the handler uses.</param>
    internal static async Task<Results<Ok<DepthResponse>, FileContentHttpResult, ProblemHttpResult>> EstimateDepth(
        IFormFile? image,
        [FromQuery] string? format,
        [FromQuery] string? level,
        [FromQuery] string? mix,
        HttpContext context,
        [AsParameters] InferenceServices services)
    {
        var started = Stopwatch.GetTimestamp();
        var chosenFormat = string.IsNullOrEmpty(format) ? Json : format; // "?format=" means the default, as for level and mix
        if (chosenFormat is not (Json or Png16 or Colormap))
        {
            throw Problems.BadRequest($"format must be {Json}, {Png16} or {Colormap} (got '{format}').");
        }

        var file = Uploads.RequireImage(image, context.Request);
        var requestedMix = Mixes.Parse(mix);
        using var lease = services.Registry.Acquire(services.Options.Value.DepthModel);
        var model = lease.Model;
        var chosenLevel = Levels.Parse(level, model.Profile.Lookup);
        var calibration = model.Profile.Lookup.TableFor(requestedMix);
        var layout = model.Profile.Layout;
        int height = (int)layout.OutputItemDims[1], width = (int)layout.OutputItemDims[2];

        using var work = model.Scheduler.CreateWork(1, context.RequestAborted);
        using (await services.Images.EnterAsync(context.RequestAborted))
        using (var decoded = await services.Images.ReadAsync(file, "image", context.RequestAborted))
        {
            Preprocessing.Into(decoded, model.Profile.ImageSpec, work.Input(0));
        }

        model.Scheduler.Submit(work);
        await work.Completion;
        using var analysis = DepthAnalysis.Run(work.Output(0), chosenLevel, calibration, model.Profile.Lookup);
        var headers = context.Response.Headers;
        headers["X-Model"] = $"{model.Name}/{model.Version}";
        headers["X-Depth-Min"] = analysis.Min.ToString("R", CultureInfo.InvariantCulture);
        headers["X-Depth-Max"] = analysis.Max.ToString("R", CultureInfo.InvariantCulture);
        switch (chosenFormat)
        {
            case Png16:
                // X-Depth-Min/Max and X-Depth-Units stay in metres, as for every format; the pixels carry their own units.
                headers["X-Depth-Units"] = ModelTasks.Metres;
                headers["X-Depth-Pixel-Units"] = "millimetres";
                headers["X-Depth-Scale"] = "0.001";
                return TypedResults.File(DepthImages.Png16(analysis.DepthMemory, width, height), "image/png");
            case Colormap:
                headers["X-Depth-Units"] = ModelTasks.Metres;
                return TypedResults.File(DepthImages.Colormap(analysis.DepthMemory, width, height, analysis.Min, analysis.Max), "image/png");
        }

        return TypedResults.Ok(new DepthResponse(
            width,
            height,
            ModelTasks.Metres,
            Math.Round(analysis.Min, 6),
            Math.Round(analysis.Max, 6),
            chosenLevel,
            calibration.Mix,
            calibration.Note,
            "base64 float32 little-endian row-major",
            Base64(analysis.Depth),
            Base64(analysis.HalfWidths),
            analysis.Ranges,
            new ModelRef(model.Name, model.Version),
            Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2)));
    }

    private static string Base64(ReadOnlySpan<float> values)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The depth encoding is little-endian; this host is big-endian.");
        }

        return Convert.ToBase64String(MemoryMarshal.AsBytes(values));
    }
}
