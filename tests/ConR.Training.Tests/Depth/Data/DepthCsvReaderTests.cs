using ConR.Training.Depth.Data;
using ConR.Training.Engine;

namespace ConR.Training.Tests.Depth.Data;

public class DepthCsvReaderTests
{
    [Fact]
    public void Read_DataPrefix_IsStrippedWhenTheStrippedFileExists()
    {
        using var dir = new TempDir();
        dir.Write("nyu2_test/00000_colors.png", "x");
        dir.Write("nyu2_test/00000_depth.png", "x");
        string csv = dir.Write(
            "nyu2_test.csv", "data/nyu2_test/00000_colors.png,data/nyu2_test/00000_depth.png\n\n");

        var samples = DepthCsvReader.Read(csv, dir.Path, skipBad: false, out var skipped);

        Assert.Empty(skipped);
        Assert.Equal(
            [new DepthSample(Path.Combine(dir.Path, "nyu2_test/00000_colors.png"), Path.Combine(dir.Path, "nyu2_test/00000_depth.png"), 1)],
            samples);
    }

    [Fact]
    public void Read_DataPrefixWhoseStrippedFileIsMissing_JoinsAsIs()
    {
        using var dir = new TempDir();
        dir.Write("data/nyu2_train/a_out/1.jpg", "x");
        dir.Write("data/nyu2_train/a_out/1.png", "x");
        dir.Write("plain/2.jpg", "x");
        dir.Write("plain/2.png", "x");
        string csv = dir.Write("train.csv", "data/nyu2_train/a_out/1.jpg,data/nyu2_train/a_out/1.png\r\n\"plain/2.jpg\", plain/2.png\r\n");

        var samples = DepthCsvReader.Read(csv, dir.Path, skipBad: false, out _);

        Assert.Equal(2, samples.Count);
        Assert.Equal(Path.Combine(dir.Path, "data/nyu2_train/a_out/1.jpg"), samples[0].RgbPath);
        Assert.Equal(Path.Combine(dir.Path, "data/nyu2_train/a_out/1.png"), samples[0].DepthPath);
        Assert.Equal(new DepthSample(Path.Combine(dir.Path, "plain/2.jpg"), Path.Combine(dir.Path, "plain/2.png"), 2), samples[1]);
    }

    [Fact]
    public void Read_BadRow_ThrowsNamingFileAndLine()
    {
        using var dir = new TempDir();
        dir.Write("a.jpg", "x");
        dir.Write("a.png", "x");
        string csv = dir.Write("split.csv", "a.jpg,a.png\na.jpg\n");

        var e = Assert.Throws<DataFormatException>(() => DepthCsvReader.Read(csv, dir.Path, skipBad: false, out _));

        Assert.StartsWith("split.csv:2: expected 2 columns", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SkipBad_ListsEveryBadRowAndKeepsTheRest()
    {
        using var dir = new TempDir();
        dir.Write("a.jpg", "x");
        dir.Write("a.png", "x");
        string csv = dir.Write("split.csv", "a.jpg,a.png\nmissing.jpg,a.png\na.jpg,data/missing.png\n,a.png\na.jpg,a.png,extra\n\"a.jpg,a.png\n");

        var samples = DepthCsvReader.Read(csv, dir.Path, skipBad: true, out var skipped);

        Assert.Single(samples);
        Assert.Equal(5, skipped.Count);
        Assert.StartsWith("split.csv:2: RGB image 'missing.jpg' not found", skipped[0], StringComparison.Ordinal);
        Assert.StartsWith("split.csv:3: depth map 'data/missing.png' not found", skipped[1], StringComparison.Ordinal);
        Assert.StartsWith("split.csv:4: RGB path is empty", skipped[2], StringComparison.Ordinal);
        Assert.StartsWith("split.csv:5: expected 2 columns", skipped[3], StringComparison.Ordinal);
        Assert.StartsWith("split.csv:6: unterminated quote", skipped[4], StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyOrMissingFile_Throws()
    {
        using var dir = new TempDir();
        string csv = dir.Write("empty.csv", "\n\n");

        Assert.StartsWith("empty.csv:1:", Assert.Throws<DataFormatException>(() => DepthCsvReader.Read(csv, dir.Path, true, out _)).Message, StringComparison.Ordinal);
        Assert.Throws<DataFormatException>(() => DepthCsvReader.Read(Path.Combine(dir.Path, "none.csv"), dir.Path, true, out _));
    }
}
