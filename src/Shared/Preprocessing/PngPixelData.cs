using System.Buffers.Binary;
using System.IO.Compression;

namespace ConR.Shared.Preprocessing;

// A PNG can carry a complete chunk structure (IHDR ... IEND) around IDAT data that holds only part of the image;
// ImageSharp 2.1 decodes it without error and fills the rest. This check inflates the IDAT stream (what decoding
// does anyway) and compares its length with the length the header implies: filter byte + packed row, per row of every
// interlace pass.
internal static class PngPixelData
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool IsComplete(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8 || !data[..8].SequenceEqual(Signature)) return false;
        int width = 0, height = 0, bitDepth = 0, colorType = 0, interlace = 0;
        using var idat = new MemoryStream();
        int i = 8;
        while (i + 8 <= data.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(data[i..]);
            if (length < 0 || (long)i + 12 + length > data.Length) return false;
            var type = data.Slice(i + 4, 4);
            var body = data.Slice(i + 8, length);
            if (type.SequenceEqual("IHDR"u8) && length >= 13)
            {
                width = BinaryPrimitives.ReadInt32BigEndian(body);
                height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                (bitDepth, colorType, interlace) = (body[8], body[9], body[12]);
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                idat.Write(body);
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                long expected = Expected(width, height, bitDepth, colorType, interlace);
                return width > 0 && height > 0 && expected > 0 && InflatedLength(idat, expected + 1) == expected;
            }

            i += 12 + length;
        }

        return false;
    }

    // Bytes of filtered scanlines the header implies.
    private static long Expected(int width, int height, int bitDepth, int colorType, int interlace)
    {
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        long bitsPerPixel = (long)channels * bitDepth;
        long RowBytes(long columns) => columns == 0 ? 0 : 1 + (((columns * bitsPerPixel) + 7) / 8);
        if (interlace == 0) return height * RowBytes(width);

        // Adam7: pass p starts at (x0, y0) and steps (dx, dy); a pass with no columns or rows has no scanlines.
        ReadOnlySpan<(int X0, int Y0, int Dx, int Dy)> passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
        long total = 0;
        foreach (var (x0, y0, dx, dy) in passes)
        {
            long columns = width > x0 ? ((width - x0 + dx - 1) / dx) : 0;
            long rows = height > y0 ? ((height - y0 + dy - 1) / dy) : 0;
            total += rows * RowBytes(columns);
        }

        return total;
    }

    // Inflates the zlib stream, stopping after limit bytes; a damaged stream counts as short.
    private static long InflatedLength(MemoryStream compressed, long limit)
    {
        compressed.Position = 0;
        try
        {
            using var inflater = new ZLibStream(compressed, CompressionMode.Decompress, leaveOpen: true);
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while (total < limit && (read = inflater.Read(buffer, 0, buffer.Length)) > 0)
            {
                total += read;
            }

            return total;
        }
        catch (InvalidDataException)
        {
            return -1;
        }
    }
}
