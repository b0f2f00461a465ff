using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ConR.Bench.Soak;

/// <summary>
/// PNG files written chunk by chunk, so that a header can say what the pixels do not: the hostile images of the soak.
/// Each chunk is length, type, data and the CRC32 of type and data (PNG spec 5.3), so the decoder reaches the part
/// being tested instead of refusing a bad checksum.
/// </summary>
internal static class Png
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// An 8-bit RGB PNG whose IHDR declares <paramref name="width"/> x <paramref name="height"/>, with one small IDAT of
    /// compressed zeros (far too few for the declared size) unless <paramref name="withPixels"/> is false.
    /// </summary>
    public static byte[] Declaring(int width, int height, bool withPixels = true)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type RGB; compression, filter and interlace stay 0
        using var file = new MemoryStream();
        file.Write(Signature);
        WriteChunk(file, "IHDR", ihdr);
        if (withPixels)
        {
            WriteChunk(file, "IDAT", Deflate(new byte[256]));
        }

        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    private static void WriteChunk(Stream file, string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        file.Write(word);
        file.Write(typeBytes);
        file.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Compute([.. typeBytes, .. data]));
        file.Write(word);
    }

    private static byte[] Deflate(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        return output.ToArray();
    }

    /// <summary>CRC-32 as PNG and zlib define it (reflected polynomial 0xEDB88320); System.IO.Hashing is not referenced.</summary>
    private static class Crc32
    {
        private static readonly uint[] Table = BuildTable();

        public static uint Compute(ReadOnlySpan<byte> bytes)
        {
            var crc = 0xFFFFFFFFu;
            foreach (var b in bytes)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            return crc ^ 0xFFFFFFFFu;
        }

        private static uint[] BuildTable()
        {
            var table = new uint[256];
            for (var n = 0u; n < 256; n++)
            {
                var c = n;
                for (var k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
