using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Api.Tests.Support;

/// <summary>Images made in memory for the tests: every accepted format, and the hostile or broken ones.</summary>
internal static class TestImages
{
    public static Image<Rgb24> Pattern(int width, int height, int seed = 1)
    {
        var rng = new Random(seed);
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgb24((byte)((x * 5) + rng.Next(30)), (byte)((y * 4) + rng.Next(30)), (byte)rng.Next(256));
                }
            }
        });
        return image;
    }

    public static byte[] Png(int width = 40, int height = 30, int seed = 1) => Encode(width, height, seed, new PngEncoder());

    public static byte[] Jpeg(int width = 40, int height = 30, int seed = 1) => Encode(width, height, seed, new JpegEncoder { Quality = 90 });

    public static byte[] Bmp(int width = 40, int height = 30, int seed = 1) => Encode(width, height, seed, new BmpEncoder());

    public static byte[] Webp(int width = 40, int height = 30, int seed = 1) => Encode(width, height, seed, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });

    public static byte[] Gif(int width = 40, int height = 30) => Encode(width, height, 1, new GifEncoder());

    /// <summary>A JPEG cut off in its entropy-coded data.</summary>
    public static byte[] TruncatedJpeg()
    {
        var jpeg = Jpeg(64, 64);
        return jpeg[..(jpeg.Length * 2 / 3)];
    }

    /// <summary>A PNG header declaring 50000 x 50000 pixels (2.5 GP) in a few dozen bytes: must be refused unread.</summary>
    public static byte[] HugePngHeader() =>
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Chunk("IHDR", Ihdr(50_000, 50_000)), .. Chunk("IDAT", Deflate(new byte[64])), .. Chunk("IEND", [])];

    public static byte[] Text() => Encoding.UTF8.GetBytes("this is not an image, just some text\n");

    /// <summary>An animated WebP of two lossless frames (red, then blue), assembled from single-frame encodes.</summary>
    public static byte[] AnimatedWebp(int width = 24, int height = 16)
    {
        var frames = new[] { new Rgb24(220, 20, 20), new Rgb24(20, 20, 220) }.Select(colour =>
        {
            using var image = new Image<Rgb24>(width, height, colour);
            using var stream = new MemoryStream();
            image.Save(stream, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
            return stream.ToArray()[12..]; // the VP8L chunk after "RIFF" size "WEBP"
        }).ToArray();

        var body = new List<byte>();
        body.AddRange("WEBP"u8.ToArray());
        var vp8x = new byte[10];
        vp8x[0] = 0x02; // animation
        WriteUInt24(vp8x.AsSpan(4), width - 1);
        WriteUInt24(vp8x.AsSpan(7), height - 1);
        body.AddRange(Riff("VP8X", vp8x));
        body.AddRange(Riff("ANIM", new byte[6]));
        foreach (var frame in frames)
        {
            var header = new byte[16];
            WriteUInt24(header.AsSpan(6), width - 1);
            WriteUInt24(header.AsSpan(9), height - 1);
            WriteUInt24(header.AsSpan(12), 100); // duration in ms
            body.AddRange(Riff("ANMF", [.. header, .. frame]));
        }

        var file = new List<byte>();
        file.AddRange("RIFF"u8.ToArray());
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)body.Count);
        file.AddRange(size);
        file.AddRange(body);
        return [.. file];
    }

    private static byte[] Encode(int width, int height, int seed, IImageEncoder encoder)
    {
        using var image = Pattern(width, height, seed);
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    private static byte[] Riff(string fourCc, byte[] payload)
    {
        var chunk = new byte[8 + payload.Length + (payload.Length % 2)];
        Encoding.ASCII.GetBytes(fourCc).CopyTo(chunk, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(chunk, 8);
        return chunk;
    }

    private static void WriteUInt24(Span<byte> destination, int value)
    {
        destination[0] = (byte)value;
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)(value >> 16);
    }

    private static byte[] Ihdr(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        return ihdr;
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        typeBytes.CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32([.. typeBytes, .. data]));
        return chunk;
    }

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
