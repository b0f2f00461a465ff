using System.Buffers.Binary;
using System.IO.Compression;
using ConR.Shared.Preprocessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Shared.Tests.Preprocessing;

/// <summary>A PNG whose chunk structure is complete but whose pixel data is not is refused (it used to decode).</summary>
public sealed class PngPixelDataTests
{
    public static TheoryData<string> Variants => new() { "rgb", "rgba", "grey", "grey16", "palette", "interlaced", "interlaced-odd" };

    [Theory]
    [MemberData(nameof(Variants))]
    public void CompletePngs_OfEveryKind_Decode(string variant)
    {
        var png = Encode(variant);
        using var image = SafeImageDecoder.Decode(png, 40_000_000, TimeSpan.FromSeconds(5));
        Assert.True(image.Width > 0);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void PngWithATenthOfItsPixelData_IsRefusedAsCorrupt(string variant)
    {
        var png = KeepPixelData(Encode(variant), fraction: 0.1);

        var error = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.Decode(png, 40_000_000, TimeSpan.FromSeconds(5)));

        Assert.Equal(ImageDecodeError.Corrupt, error.Error);
    }

    [Fact]
    public void PngWithAllItsPixelDataRecompressed_StillDecodes() =>
        SafeImageDecoder.Decode(KeepPixelData(Encode("rgb"), fraction: 1.0), 40_000_000, TimeSpan.FromSeconds(5)).Dispose();

    private static byte[] Encode(string variant)
    {
        bool odd = variant == "interlaced-odd";
        using var image = new Image<Rgba32>(odd ? 37 : 48, odd ? 23 : 32);
        var random = new Random(3);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                foreach (ref var pixel in rows.GetRowSpan(y))
                {
                    pixel = new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                }
            }
        });
        var encoder = variant switch
        {
            "rgba" => new PngEncoder { ColorType = PngColorType.RgbWithAlpha },
            "grey" => new PngEncoder { ColorType = PngColorType.Grayscale },
            "grey16" => new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit16 },
            "palette" => new PngEncoder { ColorType = PngColorType.Palette },
            "interlaced" or "interlaced-odd" => new PngEncoder { ColorType = PngColorType.Rgb, InterlaceMethod = PngInterlaceMode.Adam7 },
            _ => new PngEncoder { ColorType = PngColorType.Rgb },
        };
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    // Rewrites the PNG with one IDAT holding the first fraction of the decompressed scanlines, as a complete zlib
    // stream, with every chunk's CRC correct: the structure is whole, the pixels are not.
    private static byte[] KeepPixelData(byte[] png, double fraction)
    {
        var chunks = new List<(string Type, byte[] Body)>();
        using var idat = new MemoryStream();
        for (int i = 8; i < png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(i));
            string type = System.Text.Encoding.ASCII.GetString(png, i + 4, 4);
            var body = png.AsSpan(i + 8, length).ToArray();
            if (type == "IDAT") idat.Write(body);
            else chunks.Add((type, body));
            i += 12 + length;
        }

        idat.Position = 0;
        using var raw = new MemoryStream();
        using (var inflater = new ZLibStream(idat, CompressionMode.Decompress)) inflater.CopyTo(raw);
        var kept = raw.ToArray().AsSpan(0, (int)(raw.Length * fraction)).ToArray();
        using var deflated = new MemoryStream();
        using (var deflater = new ZLibStream(deflated, CompressionLevel.Optimal, leaveOpen: true)) deflater.Write(kept);

        using var output = new MemoryStream();
        output.Write(png.AsSpan(0, 8));
        foreach (var (type, body) in chunks)
        {
            if (type == "IEND") WriteChunk(output, "IDAT", deflated.ToArray());
            WriteChunk(output, type, body);
        }

        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] body)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, body.Length);
        System.Text.Encoding.ASCII.GetBytes(type, header.AsSpan(4));
        output.Write(header);
        output.Write(body);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32([.. header[4..], .. body]));
        output.Write(crc);
    }

    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }

        return ~crc;
    }
}
