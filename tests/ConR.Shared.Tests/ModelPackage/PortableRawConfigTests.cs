using System.Text.Json.Nodes;
using ConR.Shared.ModelPackage;

namespace ConR.Shared.Tests.ModelPackage;

public sealed class PortableRawConfigTests
{
    [Fact]
    public void MachineFolders_AreDropped_PathsInsideTheDataFolderStayRelative()
    {
        var raw = new JsonObject
        {
            ["dataDir"] = "/home/alice/data/utkface-dir/",
            ["csvPath"] = "/home/alice/data/utkface-dir/utkface_dir.csv",
            ["valCsv"] = "/home/alice/data/utkface-dir/splits/val.csv",
            ["rrtFrom"] = "/scratch/runs/base-run",
            ["trainCsv"] = "train.csv",
            ["width"] = 0.5,
            ["loss"] = "l1",
        };

        var portable = PortableRawConfig.Of(raw);

        Assert.Equal("utkface-dir", (string?)portable["dataDir"]);
        Assert.Equal("utkface_dir.csv", (string?)portable["csvPath"]);
        Assert.Equal("splits/val.csv", (string?)portable["valCsv"]);
        Assert.Equal("base-run", (string?)portable["rrtFrom"]);
        Assert.Equal("train.csv", (string?)portable["trainCsv"]);
        Assert.Equal(0.5, (double?)portable["width"]);
        Assert.Equal("l1", (string?)portable["loss"]);
        Assert.DoesNotContain("/home/alice", portable.ToJsonString(), StringComparison.Ordinal);
        // The input is left as it was (the trainer's own config.json is not rewritten).
        Assert.Equal("/home/alice/data/utkface-dir/utkface_dir.csv", (string?)raw["csvPath"]);
    }

    [Fact]
    public void ASiblingFolderWithTheSamePrefix_IsNotInsideTheDataFolder()
    {
        var portable = PortableRawConfig.Of(new JsonObject { ["dataDir"] = "/d/utk", ["csvPath"] = "/d/utk-other/x.csv" });

        Assert.Equal("x.csv", (string?)portable["csvPath"]);
    }
}
