using System.Text.Json.Nodes;
using ConR.Training.Age;
using ConR.Training.Engine;

namespace ConR.Training.Tests.Age;

/// <summary>--init in config.json and on the command line: old runs read as from scratch, misfits are refused (exit 2).</summary>
public sealed class ImageNetInitConfigTests
{
    [Fact]
    public void ConfigWithoutInit_ReadsAsFromScratch()
    {
        var path = Path.GetTempFileName();
        try
        {
            RunDirectory.WriteJsonAtomic(path, new AgeTrainConfig { DataDir = "/d", CsvPath = "/d/x.csv" });
            var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            Assert.True(json.Remove("init"), "config.json records the init");
            File.WriteAllText(path, json.ToJsonString());
            var read = AgeTrainConfig.Read(path);
            Assert.Equal(AgeTrainConfig.NoInit, read.Init);
            read.Validate();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ImageNetInit_AtFullWidthWithTheLayout_IsValid() =>
        new AgeTrainConfig { DataDir = "/d", CsvPath = "/d/x.csv", Init = "imagenet-resnet18", Architecture = "resnet18-imagenet", Width = 1 }.Validate();

    [Theory]
    [InlineData("--init imagenet-resnet18 --arch resnet18-imagenet", "--width 1")]
    [InlineData("--init imagenet-resnet18 --width 1", "--arch resnet18-imagenet")]
    [InlineData("--init imagenet-resnet18 --arch resnet18-imagenet --width 1 --img-size 48", "--img-size 64")]
    [InlineData("--init imagenet", "--init must be none or imagenet-resnet18")]
    public void Misfits_AreRefusedBeforeAnyWork(string flags, string hint)
    {
        var outDir = Path.Combine(Path.GetTempPath(), "conr-init-" + Guid.NewGuid().ToString("N"));
        int code = CliInvocation.Run($"train age --data /nonexistent --csv x.csv {flags} --out {outDir}", out var error);
        Assert.Equal(2, code);
        Assert.Contains(hint, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Compare_AcceptsTheInit()
    {
        var outDir = Path.Combine(Path.GetTempPath(), "conr-init-" + Guid.NewGuid().ToString("N"));
        int code = CliInvocation.Run($"compare --data /nonexistent --csv x.csv --methods vanilla --init imagenet-resnet18 --out {outDir}", out var error);
        Assert.Equal(2, code);
        Assert.Contains("--width 1", error, StringComparison.Ordinal);
    }
}
