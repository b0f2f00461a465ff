using System.Buffers.Text;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace ConR.Bench;

/// <summary>
/// A closed-loop HTTP/1.1 load generator for loopback: <c>concurrency</c> keep-alive connections, each sending one
/// pre-built request (bytes made once) and reading the whole response before the next. It parses only what it must
/// (status, Content-Length or chunked framing), so the client takes as little as possible of the CPU the service
/// shares with it.
/// </summary>
internal static class RawHttpLoad
{
    /// <summary>POST <paramref name="path"/> with a multipart body holding one file field "image".</summary>
    public static byte[] MultipartRequest(Uri baseAddress, string path, byte[] file, string fileName, string contentType)
    {
        const string boundary = "----conr-bench-7d1f0c2a9b";
        var head = Encoding.ASCII.GetBytes(
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"{fileName}\"\r\nContent-Type: {contentType}\r\n\r\n");
        var tail = Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");
        var bodyLength = head.Length + file.Length + tail.Length;
        var headers = Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {bodyLength}\r\n\r\n");
        return [.. headers, .. head, .. file, .. tail];
    }

    /// <summary>
    /// Runs <paramref name="concurrency"/> connections for <paramref name="warmupSeconds"/> untimed, then counts the
    /// responses that complete in the next <paramref name="seconds"/>.
    /// </summary>
    public static async Task<Cell> RunAsync(string part, Uri baseAddress, byte[] request, int concurrency, double warmupSeconds, double seconds)
    {
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmupSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(seconds * Stopwatch.Frequency);
        var loops = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => LoopAsync(baseAddress, request, measureFrom, measureTo))).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(warmupSeconds));
        var mark = CpuSample.Mark();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var cpu = CpuSample.Since(mark);
        var results = await Task.WhenAll(loops);
        var latencies = results.SelectMany(r => r.Latencies).ToArray();
        var errors = results.Sum(r => r.Errors);
        var statuses = results.SelectMany(r => r.ErrorStatuses).Distinct().Order().ToArray();
        var elapsed = (double)(measureTo - measureFrom) / Stopwatch.Frequency;
        return new Cell(part, $"concurrency {concurrency}", latencies.Length / elapsed, LatencyStats.FromTicks(latencies), latencies.Length, errors,
            statuses.Length > 0 ? "error statuses: " + string.Join(",", statuses) : string.Empty).WithCpu(cpu, latencies.Length);
    }

    private static async Task<(List<long> Latencies, long Errors, List<int> ErrorStatuses)> LoopAsync(Uri baseAddress, byte[] request, long measureFrom, long measureTo)
    {
        var latencies = new List<long>(8192);
        var errorStatuses = new List<int>();
        long errors = 0;
        var connection = await Connection.OpenAsync(baseAddress);
        try
        {
            while (true)
            {
                var t0 = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    status = await connection.RoundTripAsync(request, null);
                }
                catch (Exception ex) when (ex is IOException or SocketException)
                {
                    status = -1;
                }

                var t1 = Stopwatch.GetTimestamp();
                if (t1 > measureTo)
                {
                    break;
                }

                if (t1 >= measureFrom)
                {
                    if (status == 200)
                    {
                        latencies.Add(t1 - t0);
                    }
                    else
                    {
                        errors++;
                        if (!errorStatuses.Contains(status))
                        {
                            errorStatuses.Add(status);
                        }
                    }
                }

                if (connection.Closed || status < 0)
                {
                    await connection.DisposeAsync();
                    connection = await Connection.OpenAsync(baseAddress);
                }
            }
        }
        finally
        {
            await connection.DisposeAsync();
        }

        return (latencies, errors, errorStatuses);
    }

    /// <summary>One keep-alive connection that sends a request and reads the whole response.</summary>
    internal sealed class Connection : IAsyncDisposable
    {
        private readonly NetworkStream stream;
        private byte[] buffer = new byte[16 * 1024];
        private int start;
        private int end;

        private Connection(Socket socket)
        {
            stream = new NetworkStream(socket, ownsSocket: true);
        }

        public bool Closed { get; private set; }

        public static async Task<Connection> OpenAsync(Uri baseAddress)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(baseAddress.Host, baseAddress.Port);
            return new Connection(socket);
        }

        /// <summary>Sends <paramref name="request"/>; returns the response status. The body goes to <paramref name="body"/> when given.</summary>
        public async Task<int> RoundTripAsync(byte[] request, MemoryStream? body)
        {
            await stream.WriteAsync(request);

            // Status line and headers.
            int headerEnd;
            while ((headerEnd = buffer.AsSpan(start, end - start).IndexOf("\r\n\r\n"u8)) < 0)
            {
                await ReadMoreAsync();
            }

            var head = buffer.AsSpan(start, headerEnd);
            var status = ParseStatus(head);
            long contentLength = -1;
            var chunked = false;
            foreach (var range in head.Split("\r\n"u8))
            {
                var line = head[range];
                if (StartsWithIgnoreCase(line, "content-length:"u8))
                {
                    if (!Utf8Parser.TryParse(Trim(line["content-length:".Length..]), out contentLength, out _))
                    {
                        throw new IOException("Bad Content-Length.");
                    }
                }
                else if (StartsWithIgnoreCase(line, "transfer-encoding:"u8))
                {
                    chunked = ContainsIgnoreCase(line, "chunked"u8);
                }
                else if (StartsWithIgnoreCase(line, "connection:"u8) && ContainsIgnoreCase(line, "close"u8))
                {
                    Closed = true;
                }
            }

            start += headerEnd + 4;
            if (chunked)
            {
                while (true)
                {
                    var lineEnd = await LineAsync();
                    var sizeText = buffer.AsSpan(start, lineEnd);
                    var semicolon = sizeText.IndexOf((byte)';');
                    if (semicolon >= 0)
                    {
                        sizeText = sizeText[..semicolon];
                    }

                    if (!Utf8Parser.TryParse(Trim(sizeText), out long size, out _, 'x'))
                    {
                        throw new IOException("Bad chunk size.");
                    }

                    start += lineEnd + 2;
                    if (size == 0)
                    {
                        // Trailers, then the empty line.
                        while (true)
                        {
                            var trailer = await LineAsync();
                            start += trailer + 2;
                            if (trailer == 0)
                            {
                                break;
                            }
                        }

                        break;
                    }

                    await ConsumeAsync(size, body);
                    await EnsureAsync(2);
                    start += 2;
                }
            }
            else if (contentLength > 0)
            {
                await ConsumeAsync(contentLength, body);
            }

            return status;
        }

        public ValueTask DisposeAsync() => stream.DisposeAsync();

        private static int ParseStatus(ReadOnlySpan<byte> head) =>
            head.Length >= 12 && Utf8Parser.TryParse(head.Slice(9, 3), out int status, out _) ? status : throw new IOException("Bad status line.");

        private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> line, ReadOnlySpan<byte> prefix) =>
            line.Length >= prefix.Length && Ascii.EqualsIgnoreCase(line[..prefix.Length], prefix);

        private static bool ContainsIgnoreCase(ReadOnlySpan<byte> line, ReadOnlySpan<byte> value)
        {
            for (var i = 0; i + value.Length <= line.Length; i++)
            {
                if (Ascii.EqualsIgnoreCase(line.Slice(i, value.Length), value))
                {
                    return true;
                }
            }

            return false;
        }

        private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> span) => span.Trim(" \t"u8);

        private async Task<int> LineAsync()
        {
            int index;
            while ((index = buffer.AsSpan(start, end - start).IndexOf("\r\n"u8)) < 0)
            {
                await ReadMoreAsync();
            }

            return index;
        }

        private async Task EnsureAsync(long count)
        {
            while (end - start < count)
            {
                await ReadMoreAsync();
            }
        }

        private async Task ConsumeAsync(long count, MemoryStream? body)
        {
            while (count > 0)
            {
                if (end == start)
                {
                    await ReadMoreAsync();
                }

                var take = (int)Math.Min(count, end - start);
                body?.Write(buffer, start, take);
                start += take;
                count -= take;
            }
        }

        private async Task ReadMoreAsync()
        {
            if (start == end)
            {
                start = end = 0;
            }
            else if (end == buffer.Length)
            {
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                else
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
            }

            var read = await stream.ReadAsync(buffer.AsMemory(end));
            if (read == 0)
            {
                Closed = true;
                throw new IOException("The server closed the connection.");
            }

            end += read;
        }
    }
}
