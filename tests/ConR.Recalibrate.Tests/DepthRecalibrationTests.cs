using ConR.Recalibrate.Tests.Support;
using ConR.Shared.Calibration;
using ConR.Shared.ModelPackage;

namespace ConR.Recalibrate.Tests;

public sealed class DepthRecalibrationTests
{
    [Fact]
    public void Run_DepthPackage_ReproducesItsTables_FitsOnValAndWritesSchema2()
    {
        using var workspace = DepthWorkspace.Create();

        var (exit, output, error) = Packages.Recalibrate("--package", workspace.Package, "--data", workspace.Data, "--threads", "1");

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        Assert.Contains("Reproduced the card's metrics: 80 values", output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(workspace.Package, "model.onnx")), File.ReadAllBytes(Path.Combine(workspace.Next, "model.onnx")));
        var card = Packages.Card(workspace.Next);
        Assert.Equal((ModelCard.CurrentSchemaVersion, 2), (card.SchemaVersion, card.Version));
        Assert.NotNull(card.Calibration.Natural);
        Assert.Contains($"fitted on the {12 * 32 * 24} val pixels", card.Calibration.Balanced.Method, StringComparison.Ordinal);
        Assert.Contains("Calibration data: the 12 val scenes", card.Calibration.Balanced.Method, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithCalibrationData_FitsOnItOnly_SaysSoInTheMethod_AndTheApiServesIt()
    {
        using var workspace = DepthWorkspace.Create();
        var calibration = workspace.AddSceneSet("calibration", seed: 2, perSplit: 10);

        var (exit, output, error) = Packages.Recalibrate("--package", workspace.Package, "--data", workspace.Data, "--calibration-data", calibration);

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        var card = Packages.Card(workspace.Next);
        var pixels = 30 * 32 * 24;
        Assert.Contains($"fitted on the {pixels} calibration pixels", card.Calibration.Balanced.Method, StringComparison.Ordinal);
        Assert.Contains($"an independent calibration set of 30 scenes ({pixels} valid pixels)", card.Calibration.Balanced.Method, StringComparison.Ordinal);
        Assert.Contains("the val split, on which the epoch was chosen, is not used", card.Calibration.Balanced.Method, StringComparison.Ordinal);
        Assert.Contains("p_train(y) / p_calibration(y)", card.Calibration.Natural!.Method, StringComparison.Ordinal);
        Assert.Equal(pixels, card.Calibration.Balanced.Table.Ranges.Sum(r => r.ValCount));

        await using var api = new ApiHost(workspace.Repository);
        using var client = await api.StartReadyAsync();
        using var form = ApiHost.Upload(Path.Combine(workspace.Data, "rgb", "00000.png"));
        var answer = await ApiHost.JsonAsync(await client.PostAsync("/v1/depth", form));
        Assert.Equal(2, (int)answer["model"]!["version"]!);
        Assert.Equal(LabelMix.Natural, (string)answer["mix"]!);
    }

    [Fact]
    public void Run_WithValAndCalibrationData_FitsOnBoth()
    {
        using var workspace = DepthWorkspace.Create();
        var calibration = workspace.AddSceneSet("calibration", seed: 2, perSplit: 4);

        var (exit, _, error) = Packages.Recalibrate(
            "--package", workspace.Package, "--data", workspace.Data, "--calibration-data", calibration, "--calibration-csv", "synth_val.csv", "--with-val");

        Assert.True(exit == 0, error);
        var card = Packages.Card(workspace.Next);
        Assert.Equal((12 + 4) * 32 * 24, card.Calibration.Balanced.Table.Ranges.Sum(r => r.ValCount));
        Assert.Contains("the 12 val scenes (9216 valid pixels) together with an independent calibration set of 4 scenes", card.Calibration.Balanced.Method, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_CalibrationDataHoldsOneOfTheModelsScenes_Refuses()
    {
        using var workspace = DepthWorkspace.Create();
        var calibration = workspace.AddSceneSet("calibration", seed: 2, perSplit: 3);
        File.Copy(Path.Combine(workspace.Data, "rgb", "00010.png"), Path.Combine(calibration, "rgb", "00004.png"), overwrite: true);

        var (exit, _, error) = Packages.Recalibrate("--package", workspace.Package, "--data", workspace.Data, "--calibration-data", calibration);

        Assert.Equal(1, exit);
        Assert.Contains("calibration set is not independent", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(workspace.Next));
    }

    [Fact]
    public void Run_CalibrationDataFromTheModelsGeneratorSeed_Refuses()
    {
        using var workspace = DepthWorkspace.Create();
        var calibration = workspace.AddSceneSet("calibration", seed: 2, perSplit: 3);
        const string Summary = """{ "dataset": "SynthDepth-DIR", "count": 32, "width": 32, "height": 24, "seed": 1 }""";
        File.WriteAllText(Path.Combine(workspace.Data, "summary.json"), Summary);
        File.WriteAllText(Path.Combine(calibration, "summary.json"), Summary.Replace("32,", "90,", StringComparison.Ordinal));

        var (exit, _, error) = Packages.Recalibrate("--package", workspace.Package, "--data", workspace.Data, "--calibration-data", calibration);

        Assert.Equal(1, exit);
        Assert.Contains("the seed of the model's data", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_DepthTableDiffers_RefusesNamingIt()
    {
        using var workspace = DepthWorkspace.Create();
        Packages.Edit(workspace.Package, json => json["metrics"]!["extra"]!["testAllPixels"]!["few"]!["pixels"] = 1);

        var (exit, _, error) = Packages.Recalibrate("--package", workspace.Package, "--data", workspace.Data);

        Assert.Equal(1, exit);
        Assert.Contains("testAllPixels.few.pixels: card 1, reproduced", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(workspace.Next));
    }

    [Fact]
    public void Run_CardScoredWithAMaskFloor_IsReproducedWithThatFloorAndOnlyWithIt()
    {
        using var workspace = DepthWorkspace.Create(maskMinBinPixels: 20);

        var (exit, output, error) = Packages.Recalibrate("--package", workspace.Package, "--data", workspace.Data, "--threads", "1");

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        Assert.Contains("Reproduced the card's metrics: 80 values", output, StringComparison.Ordinal);

        // The same tables with the floor forgotten: the official mask is rebuilt, and the balanced tables no longer match.
        Directory.Delete(workspace.Next, recursive: true);
        Packages.Edit(workspace.Package, json => json["training"]!["rawConfig"]!.AsObject().Remove("maskMinBinPixels"));
        var (refused, _, reason) = Packages.Recalibrate("--package", workspace.Package, "--data", workspace.Data, "--threads", "1");

        Assert.Equal(1, refused);
        Assert.Contains("val.all.pixels", reason, StringComparison.Ordinal);
        Assert.False(Directory.Exists(workspace.Next));
    }
}
