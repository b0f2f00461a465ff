using System.Buffers.Text;
using System.Net.Sockets;

namespace ConR.Bench.Soak;

/// <summary>
/// Sends one request on a new connection and returns the status the server answered, also when the server answers
/// before the body is sent, as it should for an upload it refuses (413 on the declared Content-Length, 400 at the
/// first number too many). HttpClient reports "broken pipe" there instead of the status the server sent first; this
/// sender checks before each piece of the body whether the server has said something, and if so stops sending and
/// reads it.
/// </summary>
internal static class RawSender
{
    // Large enough that a 30 MB body is a few hundred sends, small enough that an early answer is seen soon.
    private const int PieceBytes = 64 * 1024;

    // A piece that cannot be sent for this long: the server stopped reading, so it has answered or never will.
    private static readonly TimeSpan StalledSend = TimeSpan.FromSeconds(5);

    /// <summary>The status, or one of the negative <see cref="Outcome"/>s.</summary>
    public static async Task<int> SendAsync(Uri baseAddress, RawRequest request, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(baseAddress.Host, baseAddress.Port, deadline.Token);
            await SendUntilAnsweredAsync(socket, request, deadline.Token);
            return await ReadStatusAsync(socket, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return Outcome.NoAnswerInTime;
        }
        catch (SocketException)
        {
            // Reset before a status line could be read (sending stops at a reset and reading follows, see below).
            return Outcome.ClosedWithoutAnswer;
        }
    }

    private static async Task SendUntilAnsweredAsync(Socket socket, RawRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await socket.SendAsync(request.Head, SocketFlags.None, cancellationToken);
            for (var offset = 0; offset < request.Body.Length; offset += PieceBytes)
            {
                // Readable: the server answered (or closed); what it said is read next.
                if (socket.Poll(0, SelectMode.SelectRead))
                {
                    return;
                }

                var piece = request.Body.AsMemory(offset, Math.Min(PieceBytes, request.Body.Length - offset));
                using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                stall.CancelAfter(StalledSend);
                await socket.SendAsync(piece, SocketFlags.None, stall.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The send stalled: the server stopped reading. Its answer, if any, is read next.
        }
        catch (SocketException)
        {
            // Broken pipe or reset: the server answered and closed while the body was still going out. Linux keeps
            // the bytes that arrived before the reset readable, so the status can still be read.
        }
    }

    // Reads up to the end of the status line; the rest of the answer is not needed and the connection is closed.
    private static async Task<int> ReadStatusAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return Outcome.ClosedWithoutAnswer;
            }

            length += read;
            var line = buffer.AsSpan(0, length);
            if (line.IndexOf("\r\n"u8) >= 0)
            {
                return line.Length >= 12 && line.StartsWith("HTTP/1."u8) && Utf8Parser.TryParse(line.Slice(9, 3), out int status, out _)
                    ? status
                    : Outcome.NotHttp;
            }
        }

        return Outcome.NotHttp;
    }
}
