using ConR.Recalibrate.Tests.Support;

namespace ConR.Recalibrate.Tests;

public sealed class RecalibrateArgumentsTests
{
    [Fact]
    public void Parse_PackageAndData_DefaultsTheRest()
    {
        var (arguments, error) = RecalibrateArguments.Parse(["--package", "models/age/1", "--data", "data"]);

        Assert.Null(error);
        Assert.Equal(new RecalibrateArguments("models/age/1", "data", null, null, RecalibrateArguments.DefaultCalibrationCsvs, false, false, 2), arguments);
    }

    [Theory]
    [InlineData(new[] { "--data", "d" }, "--package and --data are required.")]
    [InlineData(new[] { "--package", "p", "--data", "d", "--with-val" }, "--calibration-csv and --with-val need --calibration-data.")]
    [InlineData(new[] { "--package", "p", "--data", "d", "--threads", "0" }, "--threads 0: expected a number >= 1.")]
    [InlineData(new[] { "--package", "p", "--data" }, "--data needs a value.")]
    [InlineData(new[] { "--frobnicate", "1" }, "Unknown argument --frobnicate.")]
    public void Parse_BadArguments_SaysWhy(string[] args, string expected)
    {
        var (arguments, error) = RecalibrateArguments.Parse(args);

        Assert.Null(arguments);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Run_BadArguments_ExitsTwoWithTheReason()
    {
        var (exit, _, error) = Packages.Recalibrate("--package", "p");

        Assert.Equal(2, exit);
        Assert.Contains("--package and --data are required.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NotAPackageFolder_ExitsTwo()
    {
        using var folder = new TempFolder();

        var (exit, _, error) = Packages.Recalibrate("--package", folder.Root, "--data", folder.Root);

        Assert.Equal(2, exit);
        Assert.Contains("is not a package folder", error, StringComparison.Ordinal);
    }
}
