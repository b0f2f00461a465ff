using ConR.Recalibrate.Tests.Support;
using ConR.Shared.Calibration;
using ConR.Shared.ModelPackage;

namespace ConR.Recalibrate.Tests;

public sealed class AgeRecalibrationTests
{
    [Fact]
    public void Run_AgePackage_WritesTheNextVersionWithTheSameGraphAndACurrentCard()
    {
        using var workspace = AgeWorkspace.Create();
        var before = Packages.Card(workspace.Package);

        var (exit, output, error) = Packages.Recalibrate("--package", workspace.Package, "--data", workspace.Data, "--threads", "1");

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        Assert.Contains("Reproduced the card's metrics", output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(workspace.Package, "model.onnx")), File.ReadAllBytes(Path.Combine(workspace.Next, "model.onnx")));
        Assert.Equal(ModelCard.CurrentSchemaVersion, (int)Packages.Json(workspace.Next)["schemaVersion"]!);

        var after = Packages.Card(workspace.Next);
        Assert.Empty(after.Validate());
        Assert.Equal(("age", 2, ModelCard.CurrentSchemaVersion), (after.Name, after.Version, after.SchemaVersion));
        Assert.Equal(before.OnnxSha256, after.OnnxSha256);
        Assert.Equal(Packages.Sha256(Path.Combine(workspace.Next, "model.onnx")), after.OnnxSha256);
        Assert.Equal(Recalibrator.GitCommit, after.GitCommit);
        Assert.True(after.CreatedUtc > before.CreatedUtc);

        // Everything but the calibration, the versions, the commit, the date and the run configuration's folders is the
        // old card's.
        var old = Packages.Json(workspace.Package);
        var next = Packages.Json(workspace.Next);
        foreach (var field in new[] { "task", "units", "input", "outputs", "labelRange", "trainHistogram", "dataSet", "metrics", "valRangeErrors", "onnxSha256" })
        {
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(old[field], next[field]), $"{field} changed");
        }

        var oldTraining = old["training"]!.AsObject();
        var nextTraining = next["training"]!.AsObject();
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(PortableRawConfig.Of(oldTraining["rawConfig"]!.AsObject()), nextTraining["rawConfig"]), "rawConfig changed beyond its folders");
        oldTraining.Remove("rawConfig");
        nextTraining.Remove("rawConfig");
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(oldTraining, nextTraining), "training changed");

        Assert.Equal(CalibrationKeys.Label, after.Calibration.Balanced.Table.Options.KeyedBy);

        // A package from before the scaled table gets today's method: the age default bandwidth, a scale per label.
        Assert.Null(before.Calibration.Balanced.Table.Scale);
        Assert.Equal(CalibrationOptions.Age.ScaleBandwidth, after.Calibration.Balanced.Table.Scale!.Bandwidth);
        Assert.Null(after.Calibration.Natural!.Table.Scale);
        Assert.Equal(CalibrationKeys.Prediction, after.Calibration.Natural!.Table.Options.KeyedBy);
        Assert.NotNull(after.Calibration.Balanced.TestCoverage.Shots);
        Assert.True(after.Calibration.Natural.TestCoverage.ImportanceWeighted);
        Assert.All(after.Calibration.Present(), mix => Assert.Contains("Recalibrated from version 1", mix.Calibration.Method, StringComparison.Ordinal));
        Assert.Contains("fitted on the 60 val faces", after.Calibration.Balanced.Method, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SourceCardNamesTheTrainersFolders_TheNewCardKeepsOnlyNamesInsideTheDataSet()
    {
        using var workspace = AgeWorkspace.Create();
        Packages.Edit(workspace.Package, json =>
        {
            json["training"]!["rawConfig"]!["dataDir"] = "/home/trainer/data/utkface-dir";
            json["training"]!["rawConfig"]!["csvPath"] = "/home/trainer/data/utkface-dir/splits/utkface_dir.csv";
        });

        var (exit, output, error) = Packages.Recalibrate("--package", workspace.Package, "--data", workspace.Data, "--threads", "1");

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        var raw = Packages.Json(workspace.Next)["training"]!["rawConfig"]!;
        Assert.Equal("utkface-dir", (string?)raw["dataDir"]);
        Assert.Equal("splits/utkface_dir.csv", (string?)raw["csvPath"]);
        Assert.DoesNotContain("/home/trainer", raw.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_CardMetricDiffersFromWhatTheGraphGives_RefusesAndWritesNothing()
    {
        using var workspace = AgeWorkspace.Create();
        Packages.Edit(workspace.Package, json => json["metrics"]!["val"]!["all"]!["mae"] = (double)json["metrics"]!["val"]!["all"]!["mae"]! + 0.01);

        var (exit, _, error) = Packages.Recalibrate("--package", workspace.Package, "--data", workspace.Data, "--threads", "1");

        Assert.Equal(1, exit);
        Assert.Contains("does not reproduce the metrics", error, StringComparison.Ordinal);
        Assert.Contains("val.all.mae", error, StringComparison.Ordinal);
        Assert.Equal(["1"], Directory.GetFileSystemEntries(Path.Combine(workspace.Repository, "age")).Select(Path.GetFileName));
    }

    [Fact]
    public void Run_SplitFileIsNotTheCards_Refuses()
    {
        using var workspace = AgeWorkspace.Create();
        File.AppendAllText(Path.Combine(workspace.Data, AgeWorkspace.CsvName), "30,faces/val-000.png,train\n");

        var (exit, _, error) = Packages.Recalibrate("--package", workspace.Package, "--data", workspace.Data);

        Assert.Equal(1, exit);
        Assert.Contains("not the data the card was measured on", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(workspace.Next));
    }

    [Fact]
    public void Run_NextVersionExists_RefusesWithoutTouchingIt()
    {
        using var workspace = AgeWorkspace.Create(perSplit: 10);
        Directory.CreateDirectory(workspace.Next);
        File.WriteAllText(Path.Combine(workspace.Next, "keep.txt"), "mine");

        var (exit, _, error) = Packages.Recalibrate("--package", workspace.Package, "--data", workspace.Data);

        Assert.Equal(1, exit);
        Assert.Contains("never overwritten", error, StringComparison.Ordinal);
        Assert.Equal(["keep.txt"], Directory.GetFiles(workspace.Next).Select(Path.GetFileName));
    }

    [Fact]
    public void Run_DryRun_MeasuresAndWritesNothing()
    {
        using var workspace = AgeWorkspace.Create(perSplit: 40);

        var (exit, output, error) = Packages.Recalibrate("--package", workspace.Package, "--data", workspace.Data, "--dry-run");

        Assert.True(exit == 0, error);
        Assert.Contains("Calibration (balanced)", output, StringComparison.Ordinal);
        Assert.Contains("Calibration (natural)", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(workspace.Next));
    }

    [Fact]
    public async Task WrittenPackage_TheApiServesItAsTheNewestVersion_WithBothMixes()
    {
        using var workspace = AgeWorkspace.Create();
        Assert.Equal(0, Packages.Recalibrate("--package", workspace.Package, "--data", workspace.Data).Exit);
        await using var api = new ApiHost(workspace.Repository);
        using var client = await api.StartReadyAsync();

        var info = await ApiHost.JsonAsync(await client.GetAsync("/v1/models/age"));
        using var form = ApiHost.Upload(Directory.GetFiles(Path.Combine(workspace.Data, "faces"))[0]);
        var answer = await ApiHost.JsonAsync(await client.PostAsync("/v1/age", form));

        Assert.Equal(2, (int)info["version"]!);
        Assert.Equal([1, 2], info["availableVersions"]!.AsArray().Select(v => (int)v!));
        Assert.Equal([LabelMix.Balanced, LabelMix.Natural], info["loaded"]!["calibration"]!["mixes"]!.AsArray().Select(m => (string)m!));
        Assert.Equal(2, (int)answer["model"]!["version"]!);
        Assert.Equal(LabelMix.Natural, (string)answer["interval"]!["mix"]!);
    }
}
