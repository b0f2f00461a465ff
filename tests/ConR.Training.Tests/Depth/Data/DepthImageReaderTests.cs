using ConR.Training.Depth.Data;
using ConR.Training.Engine;

namespace ConR.Training.Tests.Depth.Data;

public class DepthImageReaderTests
{
    [Theory]
    [InlineData(DepthEncoding.Nyu8BitTenMetres)]
    [InlineData(DepthEncoding.Auto)]
    public void ReadMetres_8Bit_IsTenMetresOver255(DepthEncoding encoding)
    {
        using var dir = new TempDir();
        string path = dir.Write("d.png", DepthPng.Gray8(3, 2, (x, y) => (byte)(x == 0 && y == 0 ? 51 : x == 1 ? 255 : 0)));

        var metres = DepthImageReader.ReadMetres(path, encoding, out int width, out int height);

        Assert.Equal((3, 2), (width, height));
        Assert.Equal([2f, 10f, 0f, 0f, 10f, 0f], metres);
    }

    [Theory]
    [InlineData(DepthEncoding.Millimetres16)]
    [InlineData(DepthEncoding.Auto)]
    public void ReadMetres_16Bit_IsMillimetres(DepthEncoding encoding)
    {
        using var dir = new TempDir();
        string path = dir.Write("d.png", DepthPng.Gray16(2, 3, (x, y) => (ushort)(x == 1 && y == 2 ? 2500 : (y * 1000) + x)));

        var metres = DepthImageReader.ReadMetres(path, encoding, out int width, out int height);

        Assert.Equal((2, 3), (width, height));
        Assert.Equal([0f, 0.001f, 1f, 1.001f, 2f, 2.5f], metres);
    }

    [Fact]
    public void ReadMetres_BitDepthMismatch_ThrowsNamingTheFile()
    {
        using var dir = new TempDir();
        string eight = dir.Write("eight.png", DepthPng.Gray8(2, 2, (_, _) => 10));
        string sixteen = dir.Write("sixteen.png", DepthPng.Gray16(2, 2, (_, _) => 10));

        var e1 = Assert.Throws<DataFormatException>(() => DepthImageReader.ReadMetres(eight, DepthEncoding.Millimetres16, out _, out _));
        var e2 = Assert.Throws<DataFormatException>(() => DepthImageReader.ReadMetres(sixteen, DepthEncoding.Nyu8BitTenMetres, out _, out _));

        Assert.Contains("eight.png", e1.Message, StringComparison.Ordinal);
        Assert.Contains("sixteen.png", e2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadMetres_NotAnImageOrMissing_ThrowsNamingTheFile()
    {
        using var dir = new TempDir();
        string junk = dir.Write("junk.png", "not a png");

        Assert.Contains("junk.png", Assert.Throws<DataFormatException>(() => DepthImageReader.ReadMetres(junk, DepthEncoding.Auto, out _, out _)).Message, StringComparison.Ordinal);
        Assert.Contains("gone.png", Assert.Throws<DataFormatException>(() => DepthImageReader.ReadMetres(Path.Combine(dir.Path, "gone.png"), DepthEncoding.Auto, out _, out _)).Message, StringComparison.Ordinal);
    }
}
