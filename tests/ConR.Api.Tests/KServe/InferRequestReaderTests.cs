using System.IO.Pipelines;
using System.Text;
using ConR.Api.Errors;
using ConR.Api.Inference;
using ConR.Api.KServe;

namespace ConR.Api.Tests.KServe;

public sealed class InferRequestReaderTests
{
    private static readonly TensorLayout Layout = new("image", [3, 2, 2], "age", [1]);

    [Fact]
    public async Task Reads_EveryMember_AndSkipsParameters()
    {
        const string body = """
            {"id": "r1", "parameters": {"a": [1, {"b": [2, 3]}], "c": "x"},
             "inputs": [{"name": "image", "shape": [2, 3, 2, 2], "datatype": "FP32", "parameters": {"binary": false},
                         "data": [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]]}],
             "outputs": [{"name": "age", "parameters": {}}]}
            """;

        using var request = await ReadAsync(body);

        Assert.Equal(("r1", 1, "image", "FP32"), (request.Id, request.InputCount, request.Name, request.Datatype));
        Assert.Equal([2L, 3, 2, 2], request.Shape);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (float)i), request.Data.ToArray());
        Assert.Equal(["age"], request.OutputNames);
    }

    [Fact]
    public async Task Reads_TheSameRequest_WhateverTheBodyIsSplitInto()
    {
        var body = Request(shape: "[1, 3, 2, 2]", data: "[0.5, -1.25e-3, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1.5E+2]", id: "\"split \\u00e9\"");
        using var whole = await ReadAsync(body);

        // Every token boundary case: numbers, strings with escapes and property names cut at every byte.
        using var byteByByte = await ReadAsync(body, chunk: 1);
        using var inSevens = await ReadAsync(body, chunk: 7);

        foreach (var split in new[] { byteByByte, inSevens })
        {
            Assert.Equal(whole.Id, split.Id);
            Assert.Equal("split é", split.Id);
            Assert.Equal(whole.Data.ToArray(), split.Data.ToArray());
            Assert.Equal(whole.Shape, split.Shape);
        }
    }

    [Fact]
    public async Task DataBeforeShape_IsReadAlike()
    {
        const string body = """{"inputs": [{"data": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], "datatype": "FP32", "shape": [1, 3, 2, 2], "name": "image"}]}""";

        using var request = await ReadAsync(body);

        Assert.Equal([1L, 3, 2, 2], request.Shape);
        Assert.Equal(12, request.Count);
    }

    [Fact]
    public async Task MoreNumbersThanTheDeclaredShape_AreRefusedAtTheFirstExtraOne()
    {
        // The body never ends, and the pipe lets the writer run only ~64 bytes ahead of the reader: the reader must
        // stop at number 13, not wait for the end or buffer what follows.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 64, resumeWriterThreshold: 32, minimumSegmentSize: 16));
        var reading = InferRequestReader.ReadAsync(pipe.Reader, Layout, CancellationToken.None);
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("""{"inputs": [{"name": "image", "datatype": "FP32", "shape": [1, 3, 2, 2], "data": ["""));
        var written = 0;
        while (written < 100_000)
        {
            var write = pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("0.25, ")).AsTask();
            if (await Task.WhenAny(write, reading) == reading)
            {
                break;
            }

            written++;
        }

        var problem = await Assert.ThrowsAsync<ApiProblemException>(() => reading);

        Assert.Equal(400, problem.Status);
        Assert.Contains("more than 12 numbers, as many as shape [1, 3, 2, 2] holds", problem.Message, StringComparison.Ordinal);
        Assert.InRange(written, 12, 40);
    }

    [Fact]
    public async Task DataWithoutAValidShapeFirst_IsCappedAtTheLargestValidRequest()
    {
        var numbers = string.Join(", ", Enumerable.Repeat("1", (32 * 12) + 1));

        var problem = await Assert.ThrowsAsync<ApiProblemException>(() => ReadAsync($$"""{"inputs": [{"data": [{{numbers}}], "shape": [1, 3, 2, 2]}]}"""));

        Assert.Contains("more than 384 numbers, as many as the largest valid request (32 images) holds", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1, 2, \"3\"]", "inputs[0].data[2] is not a number")]
    [InlineData("[1, {\"x\": 1}]", "inputs[0].data[1] is not a number")]
    [InlineData("[1, 1e39]", "inputs[0].data[1] is not a finite 32-bit float")]
    [InlineData("7", "inputs[0].data must be an array")]
    public async Task BadData_IsRefusedWithItsIndex(string data, string expected)
    {
        var problem = await Assert.ThrowsAsync<ApiProblemException>(() => ReadAsync(Request(shape: "[1, 3, 2, 2]", data: data)));

        Assert.Equal(400, problem.Status);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"id\": \"x\"", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{\"inputs\": 3}", "inputs must be an array")]
    [InlineData("{\"inputs\": [3]}", "inputs must be an array of objects")]
    [InlineData("{\"id\": 3}", "id must be a string")]
    [InlineData("{\"inputs\": [{\"shape\": [1.5]}]}", "shape must be an array of at most 8 integers")]
    [InlineData("{\"inputs\": [{\"data\": [], \"data\": []}]}", "holds \"data\" twice")]
    [InlineData("{} {}", "not valid JSON")]
    [InlineData("{\"id\": \"\\ud800\"}", "id is not valid UTF-8 text")]
    [InlineData("{\"\\udc00\": 1}", "a property name is not valid UTF-8 text")]
    public async Task BadBodies_AreRefused(string body, string expected)
    {
        var problem = await Assert.ThrowsAsync<ApiProblemException>(() => ReadAsync(body));

        Assert.Equal(400, problem.Status);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidUtf8InAString_IsRefusedAs400()
    {
        var body = Encoding.UTF8.GetBytes("{\"inputs\": [{\"name\": \"im\u00ffage\"}]}");
        var invalid = Array.IndexOf(body, (byte)0xC3); // "ÿ" is C3 BF in UTF-8; a lone FF byte is never valid
        body = [.. body[..invalid], 0xFF, .. body[(invalid + 2)..]];

        var problem = await Assert.ThrowsAsync<ApiProblemException>(() => ReadAsync(body));

        Assert.Equal(400, problem.Status);
        Assert.Contains("not valid", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExtraInputs_AreCountedButNotRead()
    {
        using var request = await ReadAsync("""{"inputs": [{"name": "image", "data": [1]}, {"name": "other", "data": ["not read"]}]}""");

        Assert.Equal(2, request.InputCount);
        Assert.Equal("image", request.Name);
        Assert.Equal(1, request.Count);
    }

    private static string Request(string shape, string data, string id = "\"x\"") =>
        $$"""{"id": {{id}}, "inputs": [{"name": "image", "datatype": "FP32", "shape": {{shape}}, "data": {{data}}}]}""";

    private static Task<ParsedInferRequest> ReadAsync(string body, int chunk = int.MaxValue) => ReadAsync(Encoding.UTF8.GetBytes(body), chunk);

    private static async Task<ParsedInferRequest> ReadAsync(byte[] bytes, int chunk = int.MaxValue)
    {
        var pipe = new Pipe(new PipeOptions(minimumSegmentSize: 1));
        var reading = InferRequestReader.ReadAsync(pipe.Reader, Layout, CancellationToken.None);
        for (var i = 0; i < bytes.Length && !reading.IsCompleted; i += chunk)
        {
            await pipe.Writer.WriteAsync(bytes.AsMemory(i, Math.Min(chunk, bytes.Length - i)));
        }

        await pipe.Writer.CompleteAsync();
        return await reading;
    }
}
