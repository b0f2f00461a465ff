using ConR.Training.Export;

namespace ConR.Training.Tests.Export;

public sealed class ExportCommandTests
{
    [Theory]
    [InlineData("fp32", OnnxWeightStorage.Float32)]
    [InlineData("fp16", OnnxWeightStorage.Float16)]
    [InlineData(" FP16 ", OnnxWeightStorage.Float16)]
    public void Parse_KnownNames_GiveTheStorage(string value, OnnxWeightStorage expected) =>
        Assert.Equal(expected, OnnxWeightStorageNames.Parse(value));

    [Theory]
    [InlineData("fp8")]
    [InlineData("float16")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_AnythingElse_IsRefusedWithTheAcceptedNames(string? value)
    {
        var error = Assert.Throws<ArgumentException>(() => OnnxWeightStorageNames.Parse(value));
        Assert.Contains("--weights must be fp32 or fp16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_BadWeights_IsRefusedBeforeAnyWork()
    {
        using var dir = new TempDir();
        string repo = Path.Combine(dir.Path, "models");
        string[] args = ["export", "--run", Path.Combine(dir.Path, "no-such-run"), "--repo", repo, "--name", "age", "--weights", "int8"];
        int code = CliInvocation.Run(args, out var error);

        Assert.Equal(2, code);
        Assert.Contains("--weights must be fp32 or fp16 (got 'int8')", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(repo), "a refused export must not create the repository");
    }

    [Theory]
    [InlineData("")]
    [InlineData("age\nx")]
    [InlineData("../age")]
    [InlineData("Age")]
    [InlineData("age model")]
    public void Cli_BadName_IsRefusedBeforeAnyWork_WithoutAStackTrace(string name)
    {
        using var dir = new TempDir();
        string repo = Path.Combine(dir.Path, "models");
        // The run does not exist: a name refused only after the export ran would report the run instead.
        string[] args = ["export", "--run", Path.Combine(dir.Path, "no-such-run"), "--repo", repo, "--name", name];
        int code = CliInvocation.Run(args, out var error);

        Assert.Equal(2, code);
        Assert.Contains("is not valid: use 1-64 lowercase letters", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(repo), "a refused export must not create the repository");
    }
}
