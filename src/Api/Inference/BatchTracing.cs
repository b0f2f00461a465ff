using System.Diagnostics;
using ConR.Api.Metrics;

namespace ConR.Api.Inference;

/// <summary>
/// The spans of one batch, on the worker thread: one inference span for the ONNX Runtime run (model, provider, batch
/// size), and per request in the batch a queue-wait span from submission to the run's start, each under its own
/// request. A batch serves several requests but has one parent: the first request's; the others reach it through
/// their queue-wait span's link, and the inference span links back to every request.
/// </summary>
internal static class BatchTracing
{
    /// <summary>Starts the inference span (the current activity until disposed); null while nobody listens.</summary>
    public static Activity? Start(string model, string provider, List<WorkItem> batch, long startedTimestamp)
    {
        if (!ApiTelemetry.Source.HasListeners())
        {
            return null;
        }

        var requests = batch.Select(item => item.Owner).Distinct().ToList();
        var links = requests.Skip(1).Where(r => r.Parent != default).Select(r => new ActivityLink(r.Parent)).ToList();
        var span = ApiTelemetry.Source.StartActivity(ApiTelemetry.InferenceSpan, ActivityKind.Internal, requests[0].Parent, links: links);
        if (span is null)
        {
            return null;
        }

        span.SetTag("conr.model", model)
            .SetTag("conr.provider", provider)
            .SetTag("conr.batch.size", batch.Count)
            .SetTag("conr.batch.requests", requests.Count);

        // Stopwatch stamps to wall-clock times, once for the batch.
        var now = DateTimeOffset.UtcNow;
        var nowTimestamp = Stopwatch.GetTimestamp();
        var started = now - Stopwatch.GetElapsedTime(startedTimestamp, nowTimestamp);
        foreach (var request in requests)
        {
            var enqueued = now - Stopwatch.GetElapsedTime(request.Items[0].EnqueuedTimestamp, nowTimestamp);
            using var wait = ApiTelemetry.Source.StartActivity(
                ApiTelemetry.QueueWaitSpan, ActivityKind.Internal, request.Parent, links: [new ActivityLink(span.Context)], startTime: enqueued);
            wait?.SetTag("conr.model", model).SetTag("conr.images", request.Count);
            wait?.SetEndTime(started.UtcDateTime);
        }

        // Stopping a span started from a bare context leaves no current activity; the run belongs under the inference span.
        Activity.Current = span;
        return span;
    }
}
