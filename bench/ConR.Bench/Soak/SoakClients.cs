using System.Diagnostics;
using System.Net.Sockets;

namespace ConR.Bench.Soak;

/// <summary>How many clients of each group run at once.</summary>
internal sealed record ClientCounts(int Good, int Hostile, int Oversized);

/// <summary>
/// The soak's clients, all closed loop (each waits for its answer before sending the next, so the load is bounded by
/// the client count): good clients on keep-alive connections cycling through <see cref="SoakTraffic.GoodCycle"/>,
/// hostile and oversized clients cycling through theirs, each request on a new connection (<see cref="RawSender"/>).
/// </summary>
internal static class SoakClients
{
    // Far above any answer the service should take (Inference:InferenceTimeoutMs is 10 s): past it, the request is
    // counted as not answered and its connection dropped, so a hung request cannot hang the soak.
    private static readonly TimeSpan GoodTimeout = TimeSpan.FromSeconds(30);

    // Also covers sending a 70 MB body.
    private static readonly TimeSpan RawTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs the clients until <paramref name="duration"/> has passed and every request in flight has its answer.</summary>
    public static async Task<SoakTally> RunAsync(Uri baseAddress, SoakTraffic traffic, ClientCounts clients, TimeSpan duration)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var loops = new List<Task<SoakTally>>();

        // Staggered starts in the cycles, so the clients do not send the same kind at the same moment.
        for (var c = 0; c < clients.Good; c++)
        {
            var offset = c * 3;
            loops.Add(Task.Run(() => GoodClientAsync(baseAddress, traffic.GoodCycle, offset, until)));
        }

        for (var c = 0; c < clients.Hostile; c++)
        {
            var offset = c * traffic.Hostile.Count / clients.Hostile;
            loops.Add(Task.Run(() => RawClientAsync(baseAddress, traffic.Hostile, offset, until)));
        }

        for (var c = 0; c < clients.Oversized; c++)
        {
            var offset = c * traffic.Oversized.Count / clients.Oversized;
            loops.Add(Task.Run(() => RawClientAsync(baseAddress, traffic.Oversized, offset, until)));
        }

        return SoakTally.Merge(await Task.WhenAll(loops));
    }

    private static async Task<SoakTally> GoodClientAsync(Uri baseAddress, IReadOnlyList<GoodRequest> cycle, int offset, long until)
    {
        var tally = new SoakTally();
        RawHttpLoad.Connection? connection = null;
        try
        {
            for (var i = offset; Stopwatch.GetTimestamp() < until; i++)
            {
                var request = cycle[i % cycle.Count];
                var started = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    connection ??= await RawHttpLoad.Connection.OpenAsync(baseAddress);
                    status = await connection.RoundTripAsync(request.Bytes, null).WaitAsync(GoodTimeout);
                }
                catch (TimeoutException)
                {
                    status = Outcome.NoAnswerInTime;
                }
                catch (Exception ex) when (ex is IOException or SocketException)
                {
                    status = Outcome.ClosedWithoutAnswer;
                }

                tally.Add(request.Kind, status, started);
                if (status < 0 || connection?.Closed == true)
                {
                    // Disposing also ends a round trip still waiting after a timeout.
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                    }

                    connection = null;
                    if (status == Outcome.ClosedWithoutAnswer)
                    {
                        // Not a busy loop of failed connects should the service be gone.
                        await Task.Delay(100);
                    }
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }

        return tally;
    }

    private static async Task<SoakTally> RawClientAsync(Uri baseAddress, IReadOnlyList<RawRequest> requests, int offset, long until)
    {
        var tally = new SoakTally();
        for (var i = offset; Stopwatch.GetTimestamp() < until; i++)
        {
            var request = requests[i % requests.Count];
            var started = Stopwatch.GetTimestamp();
            var status = await RawSender.SendAsync(baseAddress, request, RawTimeout);
            tally.Add(request.Kind, status, started);
        }

        return tally;
    }
}
