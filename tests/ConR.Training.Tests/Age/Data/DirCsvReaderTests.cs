using ConR.Training.Age.Data;
using ConR.Training.Engine;


namespace ConR.Training.Tests.Age.Data;

public class DirCsvReaderTests
{
    [Fact]
    public void Read_ValidFile_ReturnsRowsInOrderWithResolvedPaths()
    {
        using var dir = new TempDir();
        dir.Write("imgs/a.jpg", "x");
        dir.Write("imgs/b.jpg", "x");
        dir.Write("imgs/c d.jpg", "x");
        string csv = dir.Write("s.csv", "age,path,split\n31,imgs/a.jpg,train\n\n2.5,imgs/b.jpg,val\n0,\"imgs/c d.jpg\",test\n");

        var result = DirCsvReader.Read(csv, dir.Path, skipBad: false);

        Assert.Empty(result.Skipped);
        Assert.Equal(
            [
                new DirSample(31f, Path.Combine(dir.Path, "imgs/a.jpg"), "train", 2),
                new DirSample(2.5f, Path.Combine(dir.Path, "imgs/b.jpg"), "val", 4),
                new DirSample(0f, Path.Combine(dir.Path, "imgs/c d.jpg"), "test", 5),
            ],
            result.Samples);
    }

    [Fact]
    public void Read_ColumnsReorderedWithExtras_UsesHeaderNames()
    {
        using var dir = new TempDir();
        dir.Write("a.jpg", "x");
        string csv = dir.Write("s.csv", "split,id,\"path\",age\r\ntrain,7,a.jpg,45\r\n");

        var sample = Assert.Single(DirCsvReader.Read(csv, dir.Path, skipBad: false).Samples);

        Assert.Equal(new DirSample(45f, Path.Combine(dir.Path, "a.jpg"), "train", 2), sample);
    }

    [Fact]
    public void Read_Utf8ByteOrderMark_IsIgnored()
    {
        using var dir = new TempDir();
        dir.Write("a.jpg", "x");
        string csv = Path.Combine(dir.Path, "s.csv");
        File.WriteAllText(csv, "age,path,split\n7,a.jpg,val\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Assert.Equal(7f, Assert.Single(DirCsvReader.Read(csv, dir.Path, skipBad: false).Samples).Label);
    }

    [Theory]
    [InlineData("31,a.jpg", "expected 3 columns, found 2")]
    [InlineData("abc,a.jpg,train", "age 'abc' is not a number")]
    [InlineData("-1,a.jpg,train", "age '-1' is negative")]
    [InlineData("NaN,a.jpg,train", "age 'NaN' is not finite")]
    [InlineData("5000,a.jpg,train", "age '5000' is above the plausible maximum 120")]
    [InlineData("3,a.jpg,dev", "split 'dev' is not one of train, val, test")]
    [InlineData("3,a.jpg,Train", "split 'Train' is not one of train, val, test")]
    [InlineData("3,missing.jpg,train", "image 'missing.jpg' not found")]
    [InlineData("3,,train", "path is empty")]
    [InlineData("3,\"a.jpg,train", "unterminated quote")]
    public void Read_BadRow_ThrowsNamingFileAndLine(string row, string reason)
    {
        using var dir = new TempDir();
        dir.Write("a.jpg", "x");
        string csv = dir.Write("ages.csv", $"age,path,split\n5,a.jpg,train\n{row}\n");

        var error = Assert.Throws<DataFormatException>(() => DirCsvReader.Read(csv, dir.Path, skipBad: false));

        Assert.StartsWith("ages.csv:3: ", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Read_ImplausibleAge_IsSkippedWithSkipBad_AndAcceptedUnderAHigherBound()
    {
        using var dir = new TempDir();
        dir.Write("a.jpg", "x");
        string csv = dir.Write("ages.csv", "age,path,split\n5,a.jpg,train\n500,a.jpg,train\n");

        var skipping = DirCsvReader.Read(csv, dir.Path, skipBad: true);
        Assert.Equal([5f], skipping.Samples.Select(s => s.Label));
        Assert.Contains("ages.csv:3: age '500' is above the plausible maximum 120", Assert.Single(skipping.Skipped), StringComparison.Ordinal);

        Assert.Equal(2, DirCsvReader.Read(csv, dir.Path, skipBad: false, maxLabel: 1000).Samples.Count);
    }

    [Fact]
    public void Read_HeaderWithoutSplit_ThrowsEvenWhenSkippingBadRows()
    {
        using var dir = new TempDir();
        string csv = dir.Write("ages.csv", "age,path\n5,a.jpg\n");

        var error = Assert.Throws<DataFormatException>(() => DirCsvReader.Read(csv, dir.Path, skipBad: true));

        Assert.StartsWith("ages.csv:1: header lacks column 'split'", error.Message);
    }

    [Fact]
    public void Read_EmptyFile_Throws()
    {
        using var dir = new TempDir();
        string csv = dir.Write("ages.csv", "");

        Assert.Throws<DataFormatException>(() => DirCsvReader.Read(csv, dir.Path, skipBad: true));
    }

    [Fact]
    public void Read_SkipBad_KeepsGoodRowsAndRecordsEachSkip()
    {
        using var dir = new TempDir();
        dir.Write("a.jpg", "x");
        string csv = dir.Write(
            "ages.csv",
            "age,path,split\n1,a.jpg,train\nx,a.jpg,train\n2,a.jpg,val\n3,nope.jpg,test\n4,a.jpg,holdout\n5,a.jpg,test\n");

        var result = DirCsvReader.Read(csv, dir.Path, skipBad: true);

        Assert.Equal([1f, 2f, 5f], result.Samples.Select(s => s.Label));
        Assert.Equal([2, 4, 7], result.Samples.Select(s => s.Line));
        Assert.Equal(3, result.Skipped.Count);
        Assert.StartsWith("ages.csv:3: ", result.Skipped[0]);
        Assert.StartsWith("ages.csv:5: ", result.Skipped[1]);
        Assert.StartsWith("ages.csv:6: ", result.Skipped[2]);
    }
}
