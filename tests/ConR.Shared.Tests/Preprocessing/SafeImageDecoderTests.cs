using ConR.Shared.Preprocessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Shared.Tests.Preprocessing;

public class SafeImageDecoderTests
{
    private const long Cap = 1_000_000;
    private static readonly TimeSpan NoLimit = Timeout.InfiniteTimeSpan;

    public static TheoryData<string> AcceptedFormats => ["png", "jpeg", "bmp", "webp"];

    [Theory]
    [MemberData(nameof(AcceptedFormats))]
    public void Decode_AcceptedFormat_ReturnsRgbImage(string format)
    {
        using var source = TestImages.Pattern(24, 16);
        var data = TestImages.Encode(source, Encoder(format));

        using var image = SafeImageDecoder.Decode(data, Cap, NoLimit);

        Assert.Equal((24, 16), (image.Width, image.Height));
        if (format is "png" or "bmp") Assert.Equal(TestImages.Hwc(source), TestImages.Hwc(image));
    }

    [Fact]
    public void Decode_Stream_MatchesByteArray()
    {
        using var source = TestImages.Pattern(9, 7);
        var data = TestImages.Encode(source, new PngEncoder());
        using var stream = new MemoryStream(data);

        using var image = SafeImageDecoder.Decode(stream, Cap, NoLimit);

        Assert.Equal(TestImages.Hwc(source), TestImages.Hwc(image));
    }

    [Fact]
    public void Decode_RandomBytes_ThrowsUnsupportedFormat()
    {
        var data = new byte[2048];
        new Random(3).NextBytes(data);

        var error = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.Decode(data, Cap, NoLimit));

        Assert.Equal(ImageDecodeError.UnsupportedFormat, error.Error);
        Assert.Contains("not a JPEG, PNG, BMP or WebP", error.Message);
    }

    [Fact]
    public void Decode_Gif_ThrowsUnsupportedFormat()
    {
        using var source = TestImages.Pattern(8, 8);

        var error = Assert.Throws<ImageDecodeException>(
            () => SafeImageDecoder.Decode(TestImages.Encode(source, new GifEncoder()), Cap, NoLimit));

        Assert.Equal(ImageDecodeError.UnsupportedFormat, error.Error);
    }

    [Theory]
    [InlineData("jpeg", 0.5)]
    [InlineData("jpeg", 0.95)]
    [InlineData("jpeg", 0.05)]
    [InlineData("png", 0.5)]
    [InlineData("bmp", 0.5)]
    [InlineData("webp", 0.5)]
    public void Decode_TruncatedFile_ThrowsCorrupt(string format, double keep)
    {
        using var source = TestImages.Pattern(64, 64);
        var data = TestImages.Encode(source, Encoder(format));
        var truncated = data[..(int)(data.Length * keep)];

        var error = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.Decode(truncated, Cap, NoLimit));

        Assert.Equal(ImageDecodeError.Corrupt, error.Error);
    }

    [Fact]
    public void Decode_MorePixelsThanCap_ThrowsTooManyPixels()
    {
        using var source = TestImages.Pattern(100, 60);
        var data = TestImages.Encode(source, new PngEncoder());

        var error = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.Decode(data, 5_999, NoLimit));

        Assert.Equal(ImageDecodeError.TooManyPixels, error.Error);
        Assert.Contains("100x60", error.Message);
    }

    [Fact]
    public void Decode_JpegHeaderClaimingHugeSize_RefusedFromHeaderAlone()
    {
        // A valid 8x8 JPEG whose frame header now claims 60000x60000: decoding it would need ~10 GB.
        using var source = TestImages.Pattern(8, 8);
        var data = TestImages.Encode(source, new JpegEncoder());
        int sof = IndexOfMarker(data, 0xC0);
        data[sof + 5] = 0xEA;
        data[sof + 6] = 0x60;
        data[sof + 7] = 0xEA;
        data[sof + 8] = 0x60;

        var identify = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.Identify(new MemoryStream(data), Cap, NoLimit));
        var decode = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.Decode(data, Cap, NoLimit));

        Assert.Equal(ImageDecodeError.TooManyPixels, identify.Error);
        Assert.Equal(ImageDecodeError.TooManyPixels, decode.Error);
        Assert.Contains("60000x60000", decode.Message);
    }

    [Fact]
    public void Decode_BmpHeaderWithoutPixels_RefusedFromHeaderAlone()
    {
        var header = new byte[54];
        "BM"u8.CopyTo(header);
        BitConverter.TryWriteBytes(header.AsSpan(2), 54);
        BitConverter.TryWriteBytes(header.AsSpan(10), 54);
        BitConverter.TryWriteBytes(header.AsSpan(14), 40);
        BitConverter.TryWriteBytes(header.AsSpan(18), 50_000);
        BitConverter.TryWriteBytes(header.AsSpan(22), 50_000);
        BitConverter.TryWriteBytes(header.AsSpan(26), (short)1);
        BitConverter.TryWriteBytes(header.AsSpan(28), (short)24);

        var error = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.Decode(header, Cap, NoLimit));

        Assert.Equal(ImageDecodeError.TooManyPixels, error.Error);
        Assert.Contains("50000x50000", error.Message);
    }

    [Fact]
    public void Identify_Png_ReturnsSizeAndFormatAndKeepsPosition()
    {
        using var source = TestImages.Pattern(13, 5);
        using var stream = new MemoryStream(TestImages.Encode(source, new PngEncoder()));

        var info = SafeImageDecoder.Identify(stream, Cap, NoLimit);

        Assert.Equal(new ImageInfoResult(13, 5, "PNG"), info);
        Assert.Equal(65, info.PixelCount);
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public void Decode_ZeroTimeout_ThrowsTimeout()
    {
        using var source = TestImages.Pattern(8, 8);
        var data = TestImages.Encode(source, new PngEncoder());

        var error = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.Decode(data, Cap, TimeSpan.Zero));

        Assert.Equal(ImageDecodeError.Timeout, error.Error);
    }

    [Fact]
    public void Decode_PngWithAlpha_DropsAlpha()
    {
        using var source = new Image<Rgba32>(2, 1);
        source[0, 0] = new Rgba32(10, 20, 30, 0);
        source[1, 0] = new Rgba32(40, 50, 60, 128);

        using var image = SafeImageDecoder.Decode(TestImages.Encode(source, new PngEncoder()), Cap, NoLimit);

        Assert.Equal(new byte[] { 10, 20, 30, 40, 50, 60 }, TestImages.Hwc(image));
    }

    [Fact]
    public void Configuration_RegistersOnlyAcceptedFormats()
    {
        var names = SafeImageDecoder.Configuration.ImageFormats.Select(f => f.Name).Order().ToArray();

        Assert.Equal(["BMP", "JPEG", "PNG", "Webp"], names);
    }

    private static IImageEncoder Encoder(string format) => format switch
    {
        "png" => new PngEncoder(),
        "jpeg" => new JpegEncoder { Quality = 90 },
        "bmp" => new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 },
        "webp" => new WebpEncoder(),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private static int IndexOfMarker(byte[] data, byte marker)
    {
        for (int i = 0; i + 1 < data.Length; i++)
        {
            if (data[i] == 0xFF && data[i + 1] == marker) return i;
        }
        throw new InvalidOperationException($"Marker FF {marker:X2} not found.");
    }
}
