using System.Globalization;

namespace ConR.Bench;

/// <summary>The service's own view of a cell, from two scrapes of GET /metrics: batch sizes, ORT time, queue wait.</summary>
internal sealed record ServiceMetrics(
    double BatchSum, double BatchCount, double InferenceSum, double InferenceCount, double WaitSum, double WaitCount, double HttpSum, double HttpCount)
{
    public static async Task<ServiceMetrics> ReadAsync(HttpClient client, string model)
    {
        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        double Sum(string name, string label)
        {
            var total = 0.0;
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal))
                {
                    total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
                }
            }

            return total;
        }

        var byModel = $"model=\"{model}\"";
        const string byRoute = "route=\"/v1/age\"";
        return new ServiceMetrics(
            Sum("conr_inference_batch_size_sum", byModel),
            Sum("conr_inference_batch_size_count", byModel),
            Sum("conr_inference_duration_seconds_sum", byModel),
            Sum("conr_inference_duration_seconds_count", byModel),
            Sum("conr_inference_queue_wait_seconds_sum", byModel),
            Sum("conr_inference_queue_wait_seconds_count", byModel),
            Sum("conr_http_request_duration_seconds_sum", byRoute),
            Sum("conr_http_request_duration_seconds_count", byRoute));
    }

    /// <summary>"server 9.1 ms, mean batch 7.8, ORT 2.10 ms/run, queue wait 1.95 ms" (means) between two scrapes.</summary>
    public static string Describe(ServiceMetrics before, ServiceMetrics after)
    {
        var runs = after.BatchCount - before.BatchCount;
        if (runs <= 0)
        {
            return string.Empty;
        }

        var batch = (after.BatchSum - before.BatchSum) / runs;
        var ort = (after.InferenceSum - before.InferenceSum) / (after.InferenceCount - before.InferenceCount) * 1000;
        var wait = (after.WaitSum - before.WaitSum) / (after.WaitCount - before.WaitCount) * 1000;
        var server = (after.HttpSum - before.HttpSum) / (after.HttpCount - before.HttpCount) * 1000;
        return $"server mean {Report.F(server, 2)} ms, mean batch {Report.F(batch, 1)}, ORT {Report.F(ort, 2)} ms/run, queue wait {Report.F(wait, 2)} ms";
    }
}
