using System.IO.Pipelines;
using System.Text.Json;
using ConR.Api.Errors;
using ConR.Api.Inference;

namespace ConR.Api.KServe;

/// <summary>
/// Reads a KServe v2 inference request from the body as it arrives, without building a document of it: a 62 MB body
/// of 31 M numbers parsed by <see cref="JsonDocument"/> cost gigabytes per request. Numbers go straight into a pooled
/// buffer that never grows past the largest valid tensor (the declared shape's element count when the shape comes
/// first, as clients send it; 32 images otherwise), so a body that holds more is refused at its first extra number.
/// </summary>
internal static class InferRequestReader
{
    // The longest single JSON token (a string or number) held while waiting for its end; longer is not a tensor.
    internal const int MaxTokenBytes = 1024 * 1024;

    /// <summary>Parses the body; throws a 400 problem naming the first thing wrong.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="layout">The served model's tensors.</param>
    /// <param name="cancellationToken">The request's abort token.</param>
    public static async Task<ParsedInferRequest> ReadAsync(PipeReader body, TensorLayout layout, CancellationToken cancellationToken)
    {
        var parser = new InferRequestParser(layout);
        try
        {
            var state = new JsonReaderState();
            while (true)
            {
                var read = await body.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                var consumed = buffer.Start;
                try
                {
                    consumed = parser.Feed(buffer, read.IsCompleted, ref state);
                    if (buffer.Slice(consumed).Length > MaxTokenBytes)
                    {
                        throw Problems.BadRequest($"The body holds a JSON token longer than {MaxTokenBytes} bytes.");
                    }
                }
                finally
                {
                    // Every read is handed back, also when the body is refused: a reader left mid-read makes Kestrel
                    // log an error for each refused body when it drains the rest (a log flood a client could cause).
                    body.AdvanceTo(consumed, buffer.End);
                }

                if (read.IsCompleted)
                {
                    return parser.Finish();
                }
            }
        }
        catch
        {
            parser.Dispose();
            throw;
        }
    }
}
