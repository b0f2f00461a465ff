using System.Globalization;
using System.Text;

namespace ConR.Bench.Soak;

/// <summary>HTTP/1.1 requests written as bytes: heads, multipart bodies, chunked framing.</summary>
internal static class RequestBytes
{
    public const string Boundary = "----conr-soak-5e0b93d1";

    /// <summary>The head of a POST with a Content-Length, or with Transfer-Encoding: chunked when <paramref name="contentLength"/> is null.</summary>
    public static byte[] PostHead(Uri baseAddress, string path, string contentType, long? contentLength, bool keepAlive)
    {
        var framing = contentLength is { } length ? $"Content-Length: {length.ToString(CultureInfo.InvariantCulture)}" : "Transfer-Encoding: chunked";
        var connection = keepAlive ? string.Empty : "Connection: close\r\n";
        return Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nContent-Type: {contentType}\r\n{framing}\r\n{connection}\r\n");
    }

    /// <summary>A whole POST with a Content-Length: head and body in one array.</summary>
    public static byte[] Post(Uri baseAddress, string path, string contentType, byte[] body, bool keepAlive) =>
        [.. PostHead(baseAddress, path, contentType, body.Length, keepAlive), .. body];

    public static string MultipartType => $"multipart/form-data; boundary={Boundary}";

    /// <summary>A file part of a multipart body (without the closing boundary).</summary>
    public static byte[] FilePart(string field, string fileName, string contentType, ReadOnlySpan<byte> content) =>
        [.. Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{fileName}\"\r\nContent-Type: {contentType}\r\n\r\n"),
         .. content, .. "\r\n"u8];

    /// <summary>A text field of a multipart body (without the closing boundary).</summary>
    public static byte[] FieldPart(string field, string value) =>
        Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n");

    /// <summary>Parts followed by the closing boundary.</summary>
    public static byte[] Multipart(IEnumerable<byte[]> parts)
    {
        using var body = new MemoryStream();
        foreach (var part in parts)
        {
            body.Write(part);
        }

        body.Write(Encoding.ASCII.GetBytes($"--{Boundary}--\r\n"));
        return body.ToArray();
    }

    /// <summary><paramref name="body"/> in Transfer-Encoding: chunked framing, 16 KiB per chunk, then the last chunk.</summary>
    public static byte[] Chunked(ReadOnlySpan<byte> body)
    {
        const int chunk = 16 * 1024;
        using var framed = new MemoryStream(body.Length + (body.Length / chunk * 10) + 16);
        for (var offset = 0; offset < body.Length; offset += chunk)
        {
            var piece = body.Slice(offset, Math.Min(chunk, body.Length - offset));
            framed.Write(Encoding.ASCII.GetBytes(piece.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
            framed.Write(piece);
            framed.Write("\r\n"u8);
        }

        framed.Write("0\r\n\r\n"u8);
        return framed.ToArray();
    }
}
