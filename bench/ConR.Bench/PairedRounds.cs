using Microsoft.ML.OnnxRuntime;

namespace ConR.Bench;

/// <summary>One round of the interleaved comparison: the three cells the two throughput targets compare.</summary>
/// <param name="Round">1-based.</param>
/// <param name="Limit">The pipeline limit (its best configuration), images/s.</param>
/// <param name="Batched">The service with batching at the highest concurrency, images/s.</param>
/// <param name="Unbatched">The service with batching off at the same concurrency, images/s.</param>
internal sealed record PairedRound(int Round, double Limit, double Batched, double Unbatched)
{
    public double ServiceShare => Batched / Limit;

    public double BatchingGain => Batched / Unbatched;
}

/// <summary>
/// The two throughput targets compare cells that, run once each a minute apart, would mostly measure how this VM's
/// speed drifted in between (the same cell varies by 10-40 % across minutes). So the compared cells run back to
/// back, round after round, in alternating order (pipeline, batched, unbatched; then the reverse), and each round
/// gives its own ratios; the targets use their medians, and the spread says how far to trust them.
/// </summary>
internal static class PairedRounds
{
    public static async Task<IReadOnlyList<PairedRound>> RunAsync(
        BenchOptions options,
        InferenceSession session,
        AgeModelPackage model,
        byte[] jpeg,
        (int Workers, int MaxBatch) limit,
        ServiceUnderTest batched,
        ServiceUnderTest unbatched,
        int concurrency)
    {
        var rounds = new List<PairedRound>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            double limitRate = 0, batchedRate = 0, unbatchedRate = 0;
            var steps = new List<Func<Task>>
            {
                () =>
                {
                    limitRate = InProcessPipeline.Limit(session, model, jpeg, limit.Workers, limit.MaxBatch, options.WarmupSeconds, options.Seconds).ImagesPerSecond;
                    return Task.CompletedTask;
                },
                async () => batchedRate = (await batched.LoadAsync(concurrency, options.WarmupSeconds, options.Seconds)).ImagesPerSecond,
                async () => unbatchedRate = (await unbatched.LoadAsync(concurrency, options.WarmupSeconds, options.Seconds)).ImagesPerSecond,
            };
            if (round % 2 == 0)
            {
                steps.Reverse();
            }

            foreach (var step in steps)
            {
                await step();
                GC.Collect();
            }

            var result = new PairedRound(round, limitRate, batchedRate, unbatchedRate);
            Console.WriteLine(
                $"  [6 round {round}] pipeline limit {Report.F(limitRate, 0)}, batched {Report.F(batchedRate, 0)}, batching off {Report.F(unbatchedRate, 0)} images/s: " +
                $"service/limit {Report.F(100 * result.ServiceShare, 1)} %, batching {Report.F(result.BatchingGain, 2)}x");
            rounds.Add(result);
        }

        return rounds;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
