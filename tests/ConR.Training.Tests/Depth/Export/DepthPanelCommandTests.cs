using System.Text.Json.Nodes;
using ConR.Training.Depth;
using ConR.Training.Depth.Export;
using ConR.Training.Export;
using ConR.Training.Reporting;
using ConR.Training.Tests.Reporting;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Depth.Export;

/// <summary>`conr-train depth-panel` on a tiny trained and exported depth run.</summary>
[Collection(SeededTorchRuns.Name)]
public sealed class DepthPanelCommandTests
{
    [Fact]
    public void Cli_WritesTheTestPanelWithTheWidthColumn_AndRefusesAPackageOfAnotherRun()
    {
        using var set = new TinyDepthDataSet();
        var config = set.Config(epochs: 1);
        var runDir = set.NewRunDir();
        Assert.Equal(0, DepthTrainingRun.Execute(config, runDir, resume: false, "cpu", TextWriter.Null));
        var package = DepthModelPackager.Export(runDir, new ModelRepository(Path.Combine(set.Root, "repo")), "depth", null, CPU, TextWriter.Null);
        var png = Path.Combine(set.Root, "docs", DepthPackagePanel.FileName);

        int code = CliInvocation.Run(["depth-panel", "--run", runDir, "--package", package, "--out", png, "--device", "cpu"], out var error);

        Assert.True(code == 0, error);
        var (width, height) = RunPlots.DepthPanelSize(set.Width, set.Height, DepthPackagePanel.Scenes, withWidthColumn: true);
        using (var image = PngAssert.IsPicture(png, width, height, minimumColours: 64))
        {
            // The fourth column is drawn in greys: widths, not depths.
            var layout = new DepthPanelLayout(set.Width, set.Height, DepthPackagePanel.Scenes, withWidthColumn: true);
            var pixel = image[layout.WidthCellLeft + (layout.CellWidth / 2), layout.CellTop(0) + (layout.CellHeight / 2)];
            Assert.True(pixel.R == pixel.G && pixel.G == pixel.B, $"width pixel ({pixel.R}, {pixel.G}, {pixel.B}) is not grey");
        }

        var other = Path.Combine(set.Root, "repo", "depth", "other");
        Directory.CreateDirectory(other);
        var card = JsonNode.Parse(File.ReadAllText(Path.Combine(package, ModelRepository.CardFile)))!;
        card["training"]!["seed"] = config.Seed + 1;
        File.WriteAllText(Path.Combine(other, ModelRepository.CardFile), card.ToJsonString());
        var refused = Path.Combine(set.Root, "refused.png");

        code = CliInvocation.Run(["depth-panel", "--run", runDir, "--package", other, "--out", refused, "--device", "cpu"], out error);

        Assert.Equal(2, code);
        Assert.Contains($"seed: card {config.Seed + 1}, run {config.Seed}", error, StringComparison.Ordinal);
        Assert.False(File.Exists(refused));
    }
}
