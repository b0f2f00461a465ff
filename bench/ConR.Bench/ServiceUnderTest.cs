using System.Globalization;
using System.Net.Http.Headers;

namespace ConR.Bench;

/// <summary>
/// One configuration of the real service (an in-process <see cref="ApiHost"/>) with the request the load sends:
/// started and checked once, warmed up, then loaded as often as the bench needs (cells, interleaved rounds).
/// </summary>
internal sealed class ServiceUnderTest : IAsyncDisposable
{
    private readonly ApiHost host;
    private readonly HttpClient client;
    private readonly byte[] request;
    private readonly string model;

    private ServiceUnderTest(string part, ApiHost host, byte[] request, string model)
    {
        Part = part;
        this.host = host;
        this.request = request;
        this.model = model;
        client = new HttpClient { BaseAddress = host.BaseAddress };
    }

    /// <summary>Gets the report's name for this configuration, e.g. "4 service, batching off".</summary>
    public string Part { get; }

    /// <summary>Starts the service with these batching settings and proves one POST /v1/age answers an age.</summary>
    public static async Task<ServiceUnderTest> StartAsync(BenchOptions options, byte[] jpeg, string part, int maxBatch, int delayMs)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Inference:ModelRepository"] = options.Models,
            ["Inference:Device"] = "cpu",
            ["Inference:AgeModel"] = options.Model,
            ["Inference:MaxBatchSize"] = maxBatch.ToString(CultureInfo.InvariantCulture),
            ["Inference:MaxQueueDelayMs"] = delayMs.ToString(CultureInfo.InvariantCulture),
            ["Inference:IntraOpThreads"] = options.IntraOp.ToString(CultureInfo.InvariantCulture),
            ["RateLimiting:Enabled"] = "false",
        };
        var host = await ApiHost.StartAsync(settings, TimeSpan.FromSeconds(180));
        var request = RawHttpLoad.MultipartRequest(host.BaseAddress, "/v1/age", jpeg, "face.jpg", "image/jpeg");
        var service = new ServiceUnderTest(part, host, request, options.Model);
        try
        {
            await service.CheckAsync(jpeg);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    public Uri BaseAddress => host.BaseAddress;

    /// <summary>One closed-loop load cell at <paramref name="concurrency"/>, with the service's own metrics in the note.</summary>
    public async Task<Cell> LoadAsync(int concurrency, double warmupSeconds, double seconds)
    {
        var before = await ServiceMetrics.ReadAsync(client, model);
        var cell = await RawHttpLoad.RunAsync(Part, host.BaseAddress, request, concurrency, warmupSeconds, seconds);
        var after = await ServiceMetrics.ReadAsync(client, model);
        var described = ServiceMetrics.Describe(before, after);
        return cell with { Note = string.Join("; ", new[] { described, cell.Note }.Where(s => s.Length > 0)) };
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
    }

    // Through HttpClient (the body is accepted, the answer is an age), then through the raw client the load uses.
    private async Task CheckAsync(byte[] jpeg)
    {
        using (var form = new MultipartFormDataContent())
        {
            var file = new ByteArrayContent(jpeg);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, "image", "face.jpg");
            using var response = await client.PostAsync(new Uri("/v1/age", UriKind.Relative), form);
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode || !body.Contains("\"age\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"POST /v1/age answered {(int)response.StatusCode}: {body}");
            }
        }

        await using var connection = await RawHttpLoad.Connection.OpenAsync(host.BaseAddress);
        using var answer = new MemoryStream();
        var status = await connection.RoundTripAsync(request, answer);
        var text = System.Text.Encoding.UTF8.GetString(answer.ToArray());
        if (status != 200 || !text.Contains("\"age\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The raw client's POST /v1/age answered {status}: {text}");
        }
    }
}
