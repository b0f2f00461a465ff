using ConR.Shared.Preprocessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Shared.Tests.Preprocessing;

/// <summary>Extreme shapes are refused from the header, before any pixel is decoded or resized.</summary>
public sealed class SafeImageDecoderShapeTests
{
    [Theory]
    [InlineData(1, 2000)]
    [InlineData(2000, 1)]
    [InlineData(41, 2)]
    public void Decode_SidesMoreUnequalThanAllowed_IsRefusedAsExtremeShape(int width, int height)
    {
        var png = Png(width, height);

        var error = Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.Decode(png, 40_000_000, TimeSpan.FromSeconds(5)));

        Assert.Equal(ImageDecodeError.ExtremeShape, error.Error);
        Assert.Contains($"{width}x{height}", error.Message, StringComparison.Ordinal);
        using var stream = new MemoryStream(png);
        Assert.Equal(ImageDecodeError.ExtremeShape, Assert.Throws<ImageDecodeException>(() => SafeImageDecoder.Identify(stream, 40_000_000, TimeSpan.FromSeconds(5))).Error);
    }

    [Theory]
    [InlineData(40, 2)]
    [InlineData(200, 200)]
    [InlineData(640, 480)]
    public void Decode_OrdinaryShapes_AreDecoded(int width, int height)
    {
        using var image = SafeImageDecoder.Decode(Png(width, height), 40_000_000, TimeSpan.FromSeconds(5));
        Assert.Equal((width, height), (image.Width, image.Height));
    }

    [Fact]
    public void Decode_ACallerMayAllowLongerShapes() =>
        Assert.Equal(2000, SafeImageDecoder.Decode(Png(1, 2000), 40_000_000, TimeSpan.FromSeconds(5), maxAspectRatio: 5000).Height);

    private static byte[] Png(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height);
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder());
        return stream.ToArray();
    }
}
