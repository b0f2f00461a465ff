using System.Buffers;
using System.Text.Json;
using ConR.Api.Errors;
using ConR.Api.Inference;
using ConR.Api.Options;

namespace ConR.Api.KServe;

/// <summary>The token-by-token state machine behind <see cref="InferRequestReader"/>; resumable between buffers.</summary>
internal sealed class InferRequestParser(TensorLayout layout) : IDisposable
{
    private readonly Stack<Frame> frames = new();
    private readonly List<string?> outputNames = [];
    private string? property;
    private bool complete;
    private string? id;
    private int inputCount;
    private string? name;
    private string? datatype;
    private List<long>? shape;
    private float[]? data;
    private int count;
    private int capacity;
    private string capacityReason = string.Empty;

    // Where the next token is: which object or array, and for objects the property whose value comes next.
    private enum Frame
    {
        Root,
        Inputs,
        Input,
        Shape,
        Data,
        Outputs,
        Output,
        Skip,
    }

    /// <summary>Reads every whole token in <paramref name="buffer"/>; returns where the unread rest starts.</summary>
    public SequencePosition Feed(ReadOnlySequence<byte> buffer, bool isFinalBlock, ref JsonReaderState state)
    {
        var reader = new Utf8JsonReader(buffer, isFinalBlock, state);
        try
        {
            while (reader.Read())
            {
                Token(ref reader);
            }
        }
        catch (JsonException e)
        {
            throw Problems.BadRequest($"The body is not valid JSON: {e.Message}");
        }

        state = reader.CurrentState;
        return reader.Position;
    }

    /// <summary>The request, once the whole body was read.</summary>
    public ParsedInferRequest Finish()
    {
        if (!complete)
        {
            throw Problems.BadRequest("The body is not valid JSON: it ends before its object does.");
        }

        var parsed = new ParsedInferRequest(id, inputCount, name, datatype, shape, data, count, outputNames);
        data = null;
        return parsed;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref data, null) is { } rented)
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    private void Token(ref Utf8JsonReader reader)
    {
        var token = reader.TokenType;
        if (frames.Count == 0)
        {
            if (token != JsonTokenType.StartObject)
            {
                throw Problems.BadRequest("The body must be a JSON object: the Open Inference Protocol's inference request.");
            }

            frames.Push(Frame.Root);
            return;
        }

        switch (frames.Peek())
        {
            case Frame.Skip:
                EnterOrLeave(token, Frame.Skip);
                return;
            case Frame.Data:
                DataToken(ref reader);
                return;
            case Frame.Shape:
                ShapeToken(ref reader);
                return;
            case Frame.Inputs:
                ArrayOfObjects(token, "inputs", () => ++inputCount == 1 ? Frame.Input : Frame.Skip);
                return;
            case Frame.Outputs:
                ArrayOfObjects(token, "outputs", () => Frame.Output);
                return;
            default:
                ObjectToken(ref reader);
                return;
        }
    }

    private void EnterOrLeave(JsonTokenType token, Frame frame)
    {
        if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            frames.Push(frame);
        }
        else if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
        {
            frames.Pop();
        }
    }

    private void ArrayOfObjects(JsonTokenType token, string member, Func<Frame> element)
    {
        switch (token)
        {
            case JsonTokenType.StartObject:
                frames.Push(element());
                break;
            case JsonTokenType.EndArray:
                frames.Pop();
                break;
            default:
                throw Problems.BadRequest($"{member} must be an array of objects.");
        }
    }

    private void ObjectToken(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                property = Text(ref reader, "a property name");
                return;
            case JsonTokenType.EndObject:
                frames.Pop();
                complete = frames.Count == 0;
                return;
        }

        var frame = frames.Peek();
        var member = property;
        property = null;
        switch (frame, member)
        {
            case (Frame.Root, "id"):
                id = reader.TokenType == JsonTokenType.Null ? null : StringValue(ref reader, "id");
                return;
            case (Frame.Root, "inputs"):
                OptionalArray(reader.TokenType, "inputs", Frame.Inputs);
                return;
            case (Frame.Root, "outputs"):
                OptionalArray(reader.TokenType, "outputs", Frame.Outputs);
                return;
            case (Frame.Input, "name"):
                name = StringValue(ref reader, "inputs[0].name");
                return;
            case (Frame.Input, "datatype"):
                datatype = StringValue(ref reader, "inputs[0].datatype");
                return;
            case (Frame.Input, "shape"):
                shape = [];
                RequireArray(reader.TokenType, "inputs[0].shape", Frame.Shape);
                return;
            case (Frame.Input, "data"):
                RequireArray(reader.TokenType, "inputs[0].data", Frame.Data);
                StartData();
                return;
            case (Frame.Output, "name"):
                outputNames.Add(reader.TokenType == JsonTokenType.Null ? null : StringValue(ref reader, "outputs[].name"));
                return;
            default:
                // "parameters" and anything the protocol adds: read past it.
                EnterOrLeave(reader.TokenType, Frame.Skip);
                return;
        }
    }

    private static string? StringValue(ref Utf8JsonReader reader, string member) =>
        reader.TokenType == JsonTokenType.String ? Text(ref reader, member) : throw Problems.BadRequest($"{member} must be a string.");

    // The reader checks a string's JSON syntax, not its text: invalid UTF-8 bytes or a lone surrogate escape ("\ud800")
    // only fail when the string is decoded, and as InvalidOperationException, which would otherwise become a 500.
    private static string? Text(ref Utf8JsonReader reader, string what)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            throw Problems.BadRequest($"The body is not valid JSON: {what} is not valid UTF-8 text (invalid bytes or a lone surrogate escape).");
        }
    }

    private void OptionalArray(JsonTokenType token, string member, Frame frame)
    {
        if (token != JsonTokenType.Null)
        {
            RequireArray(token, member, frame);
        }
    }

    private void RequireArray(JsonTokenType token, string member, Frame frame)
    {
        if (token != JsonTokenType.StartArray)
        {
            throw Problems.BadRequest($"{member} must be an array.");
        }

        frames.Push(frame);
    }

    private void ShapeToken(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.EndArray:
                frames.Pop();
                return;
            case JsonTokenType.Number when reader.TryGetInt64(out var dim) && shape!.Count < 8:
                shape.Add(dim);
                return;
            default:
                throw Problems.BadRequest("inputs[0].shape must be an array of at most 8 integers.");
        }
    }

    // The most numbers this tensor may hold: the declared shape's count when it came first and is valid for the
    // model, else the largest batch the service takes. The buffer is rented once, at that size.
    private void StartData()
    {
        if (data is not null)
        {
            throw Problems.BadRequest("inputs[0] holds \"data\" twice.");
        }

        if (shape is [var n, .. var item] && n is >= 1 and <= InferenceOptions.MaxImagesPerRequest && item.SequenceEqual(layout.InputItemDims))
        {
            capacity = (int)n * layout.InputLength;
            capacityReason = $"shape [{string.Join(", ", shape)}] holds";
        }
        else
        {
            capacity = InferenceOptions.MaxImagesPerRequest * layout.InputLength;
            capacityReason = $"the largest valid request ({InferenceOptions.MaxImagesPerRequest} images) holds";
        }

        data = ArrayPool<float>.Shared.Rent(capacity);
    }

    private void DataToken(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (!reader.TryGetSingle(out var value) || !float.IsFinite(value))
                {
                    throw Problems.BadRequest($"inputs[0].data[{count}] is not a finite 32-bit float.");
                }

                if (count == capacity)
                {
                    throw Problems.BadRequest($"inputs[0].data holds more than {capacity} numbers, as many as {capacityReason}.");
                }

                data![count++] = value;
                return;
            case JsonTokenType.StartArray:
                frames.Push(Frame.Data);
                return;
            case JsonTokenType.EndArray:
                frames.Pop();
                return;
            default:
                throw Problems.BadRequest($"inputs[0].data[{count}] is not a number.");
        }
    }
}
