using System.Buffers.Binary;
using System.Text;
using ConR.Shared.Imaging;
using ConR.Shared.Preprocessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Shared.Tests.Imaging;

public sealed class WebpFirstFrameTests
{
    [Theory]
    [InlineData(WebpFileFormatType.Lossless)]
    [InlineData(WebpFileFormatType.Lossy)]
    public void ToStill_AnimatedWebp_DecodesAsItsFirstFrame(WebpFileFormatType format)
    {
        var animated = Animated(format, new Rgb24(220, 20, 20), new Rgb24(20, 20, 220));

        var still = WebpFirstFrame.ToStill(animated);

        Assert.NotNull(still);
        using var image = SafeImageDecoder.Decode(still, 10_000, TimeSpan.FromSeconds(5));
        Assert.Equal((24, 16), (image.Width, image.Height));
        var pixel = image[12, 8];
        Assert.True(pixel.R > 150 && pixel.B < 80, $"first frame is red, got {pixel}");
    }

    [Fact]
    public void ToStill_StillWebpOrOtherFormat_IsNull()
    {
        using var image = new Image<Rgb24>(8, 8);
        using var webp = new MemoryStream();
        image.SaveAsWebp(webp);
        using var png = new MemoryStream();
        image.SaveAsPng(png);

        Assert.Null(WebpFirstFrame.ToStill(webp.ToArray()));
        Assert.Null(WebpFirstFrame.ToStill(png.ToArray()));
        Assert.Null(WebpFirstFrame.ToStill([]));
    }

    [Fact]
    public void ToStill_DamagedContainer_IsNullNotAnException()
    {
        var animated = Animated(WebpFileFormatType.Lossless, new Rgb24(1, 2, 3), new Rgb24(4, 5, 6));
        var rng = new Random(3);
        for (var cut = 13; cut < animated.Length; cut += 7)
        {
            var damaged = animated[..cut];
            damaged[rng.Next(12, cut)] ^= 0xFF;
            _ = WebpFirstFrame.ToStill(damaged);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(animated.AsSpan(16), uint.MaxValue);
        Assert.Null(WebpFirstFrame.ToStill(animated));
    }

    // RIFF WEBP, VP8X (animation), ANIM, then one ANMF per colour, each holding a single-frame encode's chunks.
    private static byte[] Animated(WebpFileFormatType format, params Rgb24[] colours)
    {
        var body = new List<byte>(Encoding.ASCII.GetBytes("WEBP"));
        var vp8x = new byte[10];
        vp8x[0] = 0x02;
        vp8x[4] = 23;
        vp8x[7] = 15;
        body.AddRange(Chunk("VP8X", vp8x));
        body.AddRange(Chunk("ANIM", new byte[6]));
        foreach (var colour in colours)
        {
            using var frame = new Image<Rgb24>(24, 16, colour);
            using var stream = new MemoryStream();
            frame.Save(stream, new WebpEncoder { FileFormat = format });
            var header = new byte[16];
            header[6] = 23;
            header[9] = 15;
            header[12] = 100;
            body.AddRange(Chunk("ANMF", [.. header, .. stream.ToArray()[12..]]));
        }

        var size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)body.Count);
        return [.. Encoding.ASCII.GetBytes("RIFF"), .. size, .. body];
    }

    private static byte[] Chunk(string fourCc, byte[] payload)
    {
        var chunk = new byte[8 + payload.Length + (payload.Length % 2)];
        Encoding.ASCII.GetBytes(fourCc).CopyTo(chunk, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(chunk, 8);
        return chunk;
    }
}
