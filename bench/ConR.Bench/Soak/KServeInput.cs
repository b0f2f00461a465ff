using System.Text.Json;

namespace ConR.Bench.Soak;

/// <summary>A model's KServe v2 input, from GET /v2/models/NAME: what a valid inference request must send.</summary>
/// <param name="Model">The model name in the route.</param>
/// <param name="Input">The input tensor's name.</param>
/// <param name="ItemDims">The shape past the batch dimension, e.g. [3, 64, 64].</param>
internal sealed record KServeInput(string Model, string Input, IReadOnlyList<long> ItemDims)
{
    /// <summary>Gets the numbers one item (one image) holds.</summary>
    public long ItemLength => ItemDims.Aggregate(1L, (a, b) => a * b);

    /// <summary>Reads the metadata; the input's shape is [-1 or 1, item dims...].</summary>
    public static async Task<KServeInput> ReadAsync(HttpClient client, string model)
    {
        using var metadata = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/v2/models/{model}", UriKind.Relative)));
        var input = metadata.RootElement.GetProperty("inputs")[0];
        var shape = input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        if (shape.Length < 2 || shape[1..].Any(d => d < 1))
        {
            throw new InvalidOperationException($"GET /v2/models/{model}: input shape [{string.Join(", ", shape)}] is not [N, fixed dims...].");
        }

        return new KServeInput(model, input.GetProperty("name").GetString()!, shape[1..]);
    }
}
