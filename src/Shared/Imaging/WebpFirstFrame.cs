using System.Buffers.Binary;

namespace ConR.Shared.Imaging;

/// <summary>
/// The first frame of an animated WebP as a still WebP file. ImageSharp 2.1 refuses animated WebP ("not yet
/// supported"); re-wrapping the first frame's bitstream (VP8 or VP8L, with its ALPH chunk if any) in a still
/// container lets the ordinary decoder read it. Only the container is touched: no pixel is decoded here.
/// </summary>
public static class WebpFirstFrame
{
    private const byte AnimationFlag = 0x02;
    private const byte AlphaFlag = 0x10;

    /// <summary>
    /// A still WebP of the first frame when <paramref name="data"/> is a well-formed animated WebP; null otherwise
    /// (not WebP, not animated, or a container too damaged to walk, which the decoder then reports).
    /// </summary>
    /// <param name="data">The whole file.</param>
    /// <returns>The still file (the frame's own size, its offset on the canvas dropped), or null.</returns>
    public static byte[]? ToStill(ReadOnlySpan<byte> data)
    {
        if (data.Length < 20 || !data[..4].SequenceEqual("RIFF"u8) || !data[8..12].SequenceEqual("WEBP"u8))
        {
            return null;
        }

        var animated = false;
        for (var offset = 12; TryChunk(data, offset, out var fourCc, out var payload, out var next); offset = next)
        {
            if (fourCc.SequenceEqual("VP8X"u8))
            {
                animated = payload.Length >= 10 && (payload[0] & AnimationFlag) != 0;
            }
            else if (fourCc.SequenceEqual("ANMF"u8))
            {
                return animated && payload.Length > 16 ? Still(payload) : null;
            }
        }

        return null;
    }

    // ANMF payload: X, Y, width-1, height-1, duration (24 bits each), flags (1 byte), then the frame's chunks.
    private static byte[]? Still(ReadOnlySpan<byte> frame)
    {
        var width = ReadUInt24(frame[6..]) + 1;
        var height = ReadUInt24(frame[9..]) + 1;
        ReadOnlySpan<byte> alpha = default, bitstream = default;
        for (var offset = 16; TryChunk(frame, offset, out var fourCc, out _, out var next); offset = next)
        {
            var chunk = frame[offset..Math.Min(next, frame.Length)];
            if (fourCc.SequenceEqual("ALPH"u8))
            {
                alpha = chunk;
            }
            else if (fourCc.SequenceEqual("VP8 "u8) || fourCc.SequenceEqual("VP8L"u8))
            {
                bitstream = chunk;
                break;
            }
        }

        if (bitstream.IsEmpty)
        {
            return null;
        }

        var still = new List<byte>(bitstream.Length + alpha.Length + 40);
        still.AddRange("RIFF"u8);
        still.AddRange(new byte[4]);
        still.AddRange("WEBP"u8);
        if (!alpha.IsEmpty)
        {
            // A lossy frame with an alpha chunk needs the extended header that announces it.
            var header = new byte[18];
            "VP8X"u8.CopyTo(header);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), 10);
            header[8] = AlphaFlag;
            WriteUInt24(header.AsSpan(12), width - 1);
            WriteUInt24(header.AsSpan(15), height - 1);
            still.AddRange(header);
            still.AddRange(alpha);
        }

        still.AddRange(bitstream);
        var file = still.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(file.Length - 8));
        return file;
    }

    // A RIFF chunk at offset: four-character code, little-endian size, payload, one pad byte when the size is odd.
    private static bool TryChunk(ReadOnlySpan<byte> data, int offset, out ReadOnlySpan<byte> fourCc, out ReadOnlySpan<byte> payload, out int next)
    {
        fourCc = default;
        payload = default;
        next = 0;
        if (offset < 0 || offset > data.Length - 8)
        {
            return false;
        }

        var size = BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 4)..]);
        if (size > (uint)(data.Length - offset - 8))
        {
            return false;
        }

        fourCc = data.Slice(offset, 4);
        payload = data.Slice(offset + 8, (int)size);
        next = offset + 8 + (int)size + (int)(size & 1);
        return true;
    }

    private static int ReadUInt24(ReadOnlySpan<byte> data) => data[0] | (data[1] << 8) | (data[2] << 16);

    private static void WriteUInt24(Span<byte> destination, int value)
    {
        destination[0] = (byte)value;
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)(value >> 16);
    }
}
