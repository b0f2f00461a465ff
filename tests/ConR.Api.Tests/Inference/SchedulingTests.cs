using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ConR.Api.Age;
using ConR.Api.Tests.Support;

namespace ConR.Api.Tests.Inference;

/// <summary>Dynamic batching, the bounded queue (503) and the inference timeout (504), through HTTP.</summary>
public sealed class SchedulingTests
{
    [Fact]
    public async Task ParallelRequests_AllSucceedAndRunInBatchesOfMoreThanOne()
    {
        // Each run takes 300 ms, so requests that arrive while the model is busy must queue and go together, however
        // the host schedules the 24 requests (on a quiet machine they can trickle in one by one faster than the
        // tiny fixture model runs, and then nothing ever waits: seen once in CI, 2026-12-07).
        var slow = new List<SlowBackend>();
        await using var app = SlowAgeApp(
            TimeSpan.FromMilliseconds(300),
            slow,
            new Dictionary<string, string?>
            {
                ["Inference:MaxBatchSize"] = "8",
                ["Inference:MaxQueueDelayMs"] = "50",
            });
        using var client = await app.StartReadyAsync();
        Assert.Single(slow).Slow = true;
        var images = Enumerable.Range(0, 24).Select(i => TestImages.Png(32, 32, seed: i)).ToArray();

        var responses = await Task.WhenAll(images.Select(image => client.PostAsync("/v1/age", Multipart.Image(image))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var metrics = await client.GetStringAsync("/metrics");
        var runs = Sample(metrics, "conr_inference_batch_size_count{model=\"age\"}");
        var images1 = Sample(metrics, "conr_inference_batch_size_bucket{model=\"age\",le=\"1\"}");
        var imagesTotal = Sample(metrics, "conr_inference_batch_size_sum{model=\"age\"}");

        // Warm-up runs do not go through the queue: 24 images, fewer runs, and some runs took more than one.
        Assert.Equal(24, imagesTotal);
        Assert.True(runs < 24, $"{runs} runs for 24 images");
        Assert.True(runs - images1 > 0, $"no batch above 1 ({runs} runs, {images1} of size 1)");
    }

    [Fact]
    public async Task ParallelRequests_GetTheSameAnswerAsOneByOne()
    {
        await using var app = new ApiApplication(settings: new Dictionary<string, string?> { ["Inference:MaxQueueDelayMs"] = "30" });
        using var client = await app.StartReadyAsync();
        var images = Enumerable.Range(0, 10).Select(i => TestImages.Png(20 + i, 30, seed: i)).ToArray();
        var alone = new List<double>();
        foreach (var image in images)
        {
            alone.Add((await (await client.PostAsync("/v1/age", Multipart.Image(image))).OkAsync<AgeResponse>()).Age);
        }

        var together = await Task.WhenAll(images.Select(async image => (await (await client.PostAsync("/v1/age", Multipart.Image(image))).OkAsync<AgeResponse>()).Age));

        // Exact: ONNX Runtime gives a row the same bits at any batch size and position (checked for these fixtures).
        // Both lists on failure, so a swap between requests can be told from a numeric difference (seen once, 2026-12).
        Assert.True(alone.SequenceEqual(together), $"alone [{string.Join(", ", alone)}] together [{string.Join(", ", together)}]");
    }

    [Fact]
    public async Task FullQueue_Answers503WithRetryAfter()
    {
        var slow = new List<SlowBackend>();
        await using var app = SlowAgeApp(
            TimeSpan.FromSeconds(2),
            slow,
            new Dictionary<string, string?>
            {
                ["Inference:MaxBatchSize"] = "1",
                ["Inference:MaxQueueLength"] = "1",
                ["Inference:InferenceTimeoutMs"] = "20000",
            });
        using var client = await app.StartReadyAsync();
        var backend = Assert.Single(slow);
        backend.Slow = true;

        // One image runs (slowly), one waits in the queue of length 1, the third does not fit.
        var running = client.PostAsync("/v1/age", Multipart.Image(TestImages.Png(seed: 1)));
        await backend.WaitStartedAsync();
        var queued = client.PostAsync("/v1/age", Multipart.Image(TestImages.Png(seed: 2)));
        await WaitForMetricAsync(client, "conr_inference_queue_depth{model=\"age\"}", 1);
        using var rejected = await client.PostAsync("/v1/age", Multipart.Image(TestImages.Png(seed: 3)));

        var problem = await rejected.ProblemAsync(503);
        Assert.True(rejected.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Contains("(1 of 1 places taken); retry shortly", problem.Detail, StringComparison.Ordinal);

        // Admission comes before decoding: an undecodable file is refused for the full queue (503), not decoded first
        // (which would answer 415).
        byte[] garbage = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
        using var rejectedGarbage = await client.PostAsync("/v1/age", Multipart.Image(garbage));
        await rejectedGarbage.ProblemAsync(503);

        Assert.Equal(HttpStatusCode.OK, (await running).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await queued).StatusCode);
        Assert.Contains("conr_inference_rejected_total{model=\"age\",reason=\"queue_full\"} 2", await client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowInference_IsTerminatedAndAnswers504()
    {
        var slow = new List<SlowBackend>();
        await using var app = SlowAgeApp(
            TimeSpan.FromSeconds(30),
            slow,
            new Dictionary<string, string?>
            {
                ["Inference:InferenceTimeoutMs"] = "300",
            });
        using var client = await app.StartReadyAsync();
        var backend = Assert.Single(slow);
        backend.Slow = true;

        var started = DateTime.UtcNow;
        using var response = await client.PostAsync("/v1/age", Multipart.Image(TestImages.Png()));

        var problem = await response.ProblemAsync(504);
        Assert.Contains("300 ms", problem.Detail, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));

        // The run itself was stopped (its token cancelled, which sets RunOptions.Terminate on a real session).
        Assert.Equal(1, backend.Terminated);
        backend.Slow = false;
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/age", Multipart.Image(TestImages.Png()))).StatusCode);
        Assert.Contains("conr_inference_rejected_total{model=\"age\",reason=\"timeout\"} 1", await client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    // Serves the age model alone; its backend waits `delay` per run once the test sets Slow (the warm-up runs at full speed).
    [Fact]
    public async Task MoreImagesThanTheQueueHolds_Answers413_EvenWhenIdle()
    {
        // A 503 would invite a retry that can never succeed: the request is too large for this server's queue.
        await using var app = new ApiApplication(settings: new Dictionary<string, string?>
        {
            ["Inference:MaxBatchSize"] = "2",
            ["Inference:MaxQueueLength"] = "2",
        });
        using var client = await app.StartReadyAsync();

        using var rejected = await client.PostAsync("/v1/age/batch", Multipart.Images([.. Enumerable.Range(0, 3).Select(i => TestImages.Png(seed: i))]));
        using var fits = await client.PostAsync("/v1/age/batch", Multipart.Images([.. Enumerable.Range(0, 2).Select(i => TestImages.Png(seed: i))]));

        var problem = await rejected.ProblemAsync(413);
        Assert.Contains("3 images in one request are more than model 'age''s queue holds (2 images, Inference:MaxQueueLength)", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Contains("conr_inference_rejected_total{model=\"age\",reason=\"too_large\"} 3", await client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    private static ApiApplication SlowAgeApp(TimeSpan delay, List<SlowBackend> slow, Dictionary<string, string?> settings)
    {
        settings["Inference:Models:0"] = "age";
        return new ApiApplication(
            settings: settings,
            backends: real => new TestBackendFactory(real, (inner, _) =>
            {
                var backend = new SlowBackend(inner, delay);
                slow.Add(backend);
                return backend;
            }));
    }

    internal static double Sample(string metrics, string series)
    {
        var match = Regex.Match(metrics, "^" + Regex.Escape(series) + " (\\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private static async Task WaitForMetricAsync(HttpClient client, string series, double value)
    {
        for (var i = 0; i < 500; i++)
        {
            if (Sample(await client.GetStringAsync("/metrics"), series) == value)
            {
                return;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"{series} never reached {value}.");
    }
}
