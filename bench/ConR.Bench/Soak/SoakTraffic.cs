using System.Globalization;
using System.Text;

namespace ConR.Bench.Soak;

/// <summary>
/// Every request the soak sends, each built once as bytes: the good requests a good client cycles through, and the
/// hostile and oversized ones with the statuses a careful service answers them with.
/// </summary>
internal sealed class SoakTraffic
{
    /// <summary>The good requests in a cycle of 10: 7 POST /v1/age, 2 KServe (every 5th), 1 POST /v1/depth (every 10th; age without a depth model).</summary>
    public const int CycleLength = 10;

    private const int MegaByte = 1024 * 1024;

    private SoakTraffic(IReadOnlyList<GoodRequest> goodCycle, IReadOnlyList<RawRequest> hostile, IReadOnlyList<RawRequest> oversized)
    {
        GoodCycle = goodCycle;
        Hostile = hostile;
        Oversized = oversized;
    }

    public IReadOnlyList<GoodRequest> GoodCycle { get; }

    public IReadOnlyList<RawRequest> Hostile { get; }

    public IReadOnlyList<RawRequest> Oversized { get; }

    /// <summary>Every kind, in the report's order: good, hostile, oversized.</summary>
    public IReadOnlyList<TrafficKind> Kinds =>
        [.. GoodCycle.Select(r => r.Kind).Distinct(), .. Hostile.Select(r => r.Kind), .. Oversized.Select(r => r.Kind)];

    /// <summary>Builds the catalogue for the service at <paramref name="baseAddress"/>.</summary>
    /// <param name="baseAddress">The service, for the Host header.</param>
    /// <param name="jpeg">The face JPEG the good requests send.</param>
    /// <param name="model">The age model's KServe metadata (GET /v2/models/NAME).</param>
    /// <param name="hasDepth">Whether the service serves a depth model.</param>
    public static SoakTraffic Build(Uri baseAddress, byte[] jpeg, KServeInput model, bool hasDepth)
    {
        var inferPath = $"/v2/models/{model.Model}/infer";
        var goodJson = KServeJson(model, 1, model.ItemLength);
        var age = new GoodRequest(new TrafficKind(TrafficKind.Good, "POST /v1/age (JPEG)", [200]), ImagePost(baseAddress, "/v1/age", jpeg, keepAlive: true));
        var kserve = new GoodRequest(new TrafficKind(TrafficKind.Good, $"POST {inferPath} (JSON, N=1)", [200]), RequestBytes.Post(baseAddress, inferPath, "application/json", goodJson, keepAlive: true));
        var depth = hasDepth ? new GoodRequest(new TrafficKind(TrafficKind.Good, "POST /v1/depth (JPEG)", [200]), ImagePost(baseAddress, "/v1/depth", jpeg, keepAlive: true)) : age;
        var cycle = Enumerable.Range(0, CycleLength).Select(i => i % 10 == 9 ? depth : i % 5 == 2 ? kserve : age).ToArray();

        var random = new byte[16 * 1024];
        new Random(7).NextBytes(random);
        var hostile = new List<RawRequest>
        {
            Image(baseAddress, TrafficKind.Hostile, "truncated JPEG (first half)", jpeg[..(jpeg.Length / 2)], "image/jpeg", [400, 415, 422]),
            Image(baseAddress, TrafficKind.Hostile, "16 KiB of random bytes as image/jpeg", random, "image/jpeg", [415, 422]),
            Image(baseAddress, TrafficKind.Hostile, "PNG declaring 1 x 4,000,000", Png.Declaring(1, 4_000_000), "image/png", [422]),
            Image(baseAddress, TrafficKind.Hostile, "PNG declaring 20000 x 20000", Png.Declaring(20_000, 20_000), "image/png", [413]),
            Image(baseAddress, TrafficKind.Hostile, "PNG with IHDR and IEND, no IDAT", Png.Declaring(FaceJpeg.Size, FaceJpeg.Size, withPixels: false), "image/png", [422]),
            Json(baseAddress, TrafficKind.Hostile, inferPath, "KServe: malformed JSON {\"inputs\": [", "{\"inputs\": ["u8.ToArray(), chunked: false, [400]),
            Json(baseAddress, TrafficKind.Hostile, inferPath, "KServe: valid shape, 1 MB of numbers past it, chunked", KServeJson(model, 1, model.ItemLength + (MegaByte / 4)), chunked: true, [400]),
            Json(baseAddress, TrafficKind.Hostile, "/v2/models/nope/infer", "KServe: unknown model /v2/models/nope/infer", goodJson, chunked: false, [404]),
            Form(baseAddress, TrafficKind.Hostile, "/v1/age", "/v1/age with form field x=abc", [RequestBytes.FilePart("image", "face.jpg", "image/jpeg", jpeg), RequestBytes.FieldPart("x", "abc")], [400]),
            Form(baseAddress, TrafficKind.Hostile, "/v1/age", "multipart with 300 parts", ManyParts(jpeg, 300), [413]),
        };

        // Bodies past every limit: 30 MB for one image (Inference:MaxUploadBytes is 10 MB), 70 MB for a batch (64 MB),
        // and a KServe body larger than the age model's largest valid request (32 images, 25.2 MB) that never says so.
        var filler = new byte[30 * MegaByte];
        new Random(11).NextBytes(filler.AsSpan(0, 64 * 1024));
        var oversized = new List<RawRequest>
        {
            Form(baseAddress, TrafficKind.Oversized, "/v1/age", "30 MB upload to /v1/age, Content-Length", [RequestBytes.FilePart("image", "big.jpg", "image/jpeg", filler)], [413]),
            Form(baseAddress, TrafficKind.Oversized, "/v1/age/batch", "70 MB multipart to /v1/age/batch",
                [.. Enumerable.Range(0, 7).Select(i => RequestBytes.FilePart("image", $"big{i}.jpg", "image/jpeg", filler.AsSpan(0, 10 * MegaByte)))], [413]),
            Json(baseAddress, TrafficKind.Oversized, inferPath, "30 MB KServe body (N=32), chunked, no Content-Length", KServeJson(model, 32, 30L * MegaByte / 4), chunked: true, [400, 413]),
        };
        return new SoakTraffic(cycle, hostile, oversized);
    }

    /// <summary>
    /// A KServe v2 request for <paramref name="model"/>'s input with shape [N, item dims] (the shape first, as clients
    /// send it) and <paramref name="numbers"/> values of 0.1: N x the item length is a valid request, more is not.
    /// </summary>
    private static byte[] KServeJson(KServeInput model, int n, long numbers)
    {
        var shape = string.Join(",", [n, .. model.ItemDims.Select(d => d.ToString(CultureInfo.InvariantCulture))]);
        var head = Encoding.ASCII.GetBytes($"{{\"inputs\":[{{\"name\":\"{model.Input}\",\"shape\":[{shape}],\"datatype\":\"FP32\",\"data\":[");
        var tail = "]}]}"u8;
        var body = new byte[head.Length + (numbers * 4) - 1 + tail.Length];
        head.CopyTo(body, 0);
        var at = head.Length;
        for (long i = 0; i < numbers; i++, at += 4)
        {
            "0.1,"u8.CopyTo(body.AsSpan(at));
        }

        tail.CopyTo(body.AsSpan(at - 1)); // over the last comma
        return body;
    }

    private static byte[] ImagePost(Uri baseAddress, string path, byte[] image, bool keepAlive) =>
        RequestBytes.Post(baseAddress, path, RequestBytes.MultipartType, RequestBytes.Multipart([RequestBytes.FilePart("image", "face.jpg", "image/jpeg", image)]), keepAlive);

    private static RawRequest Image(Uri baseAddress, string group, string name, byte[] image, string contentType, int[] expected) =>
        Form(baseAddress, group, "/v1/age", name, [RequestBytes.FilePart("image", contentType == "image/png" ? "face.png" : "face.jpg", contentType, image)], expected);

    private static RawRequest Form(Uri baseAddress, string group, string path, string name, IEnumerable<byte[]> parts, int[] expected)
    {
        var body = RequestBytes.Multipart(parts);
        return new RawRequest(new TrafficKind(group, name, expected), RequestBytes.PostHead(baseAddress, path, RequestBytes.MultipartType, body.Length, keepAlive: false), body);
    }

    private static RawRequest Json(Uri baseAddress, string group, string path, string name, byte[] json, bool chunked, int[] expected)
    {
        var head = RequestBytes.PostHead(baseAddress, path, "application/json", chunked ? null : json.Length, keepAlive: false);
        return new RawRequest(new TrafficKind(group, name, expected), head, chunked ? RequestBytes.Chunked(json) : json);
    }

    // The image part first, then small text fields: a form reader that caps its parts refuses the request; one that
    // does not reads them all and answers as for the image alone.
    private static byte[][] ManyParts(byte[] jpeg, int parts) =>
        [RequestBytes.FilePart("image", "face.jpg", "image/jpeg", jpeg), .. Enumerable.Range(1, parts - 1).Select(i => RequestBytes.FieldPart($"f{i}", "v"))];
}
