using System.Buffers;

namespace ConR.Api.KServe;

/// <summary>What a KServe v2 inference request asked for; owns the pooled tensor data until disposed.</summary>
internal sealed class ParsedInferRequest(
    string? id, int inputCount, string? name, string? datatype, IReadOnlyList<long>? shape, float[]? data, int count,
    IReadOnlyList<string?> outputNames) : IDisposable
{
    private float[]? data = data;

    public string? Id { get; } = id;

    /// <summary>Gets how many tensors "inputs" held (only the first is read).</summary>
    public int InputCount { get; } = inputCount;

    public string? Name { get; } = name;

    public string? Datatype { get; } = datatype;

    public IReadOnlyList<long>? Shape { get; } = shape;

    /// <summary>Gets how many numbers "data" held.</summary>
    public int Count { get; } = count;

    /// <summary>Gets the names of the outputs asked for, in order.</summary>
    public IReadOnlyList<string?> OutputNames { get; } = outputNames;

    /// <summary>Gets the numbers, row-major.</summary>
    public ReadOnlySpan<float> Data => data.AsSpan(0, Count);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref data, null) is { } rented)
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }
}
