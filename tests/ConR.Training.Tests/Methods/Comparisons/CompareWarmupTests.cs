using ConR.Training.Age;
using ConR.Training.Methods.Comparisons;
using ConR.Training.Tests.Age;

namespace ConR.Training.Tests.Methods.Comparisons;

/// <summary>
/// compare's ConR cells get the beta warm-up `train age --conr` gives (session 7 found them cold-started: the grid's
/// flags carry no --conr, so the default resolved to none), its cells without ConR none, and an explicit --beta-warmup
/// reaches every ConR cell.
/// </summary>
[Collection(SeededTorchRuns.Name)]
public sealed class CompareWarmupTests
{
    [Theory]
    [InlineData("", 1.0)] // the default for 4 epochs: a quarter of the run
    [InlineData("--beta-warmup 0", 0.0)]
    [InlineData("--beta-warmup 0.5", 0.5)]
    public void Cli_ConRCellsGetTheWarmup_CellsWithoutConRNone(string flag, double expected)
    {
        using var data = new TinyAgeDataSet();
        var outDir = Path.Combine(data.Root, "warmup");

        int code = CliInvocation.Run(
            $"compare --task age --data {data.Root} --csv tiny.csv --out {outDir} --methods vanilla --with-and-without-conr --seeds 1 " +
            $"--arch resnet18 --width 0.0625 --img-size 16 --batch-size 8 --workers 1 --epochs 4 --precision fp32 {flag}",
            out var error);

        Assert.True(code == 0, error);
        Assert.Equal(expected, AgeTrainConfig.Read(Path.Combine(outDir, "vanilla+conr-s1", "config.json")).BetaWarmupEpochs);
        Assert.Equal(0, AgeTrainConfig.Read(Path.Combine(outDir, "vanilla-s1", "config.json")).BetaWarmupEpochs);
        Assert.Contains($"--beta-warmup {expected}", File.ReadAllText(Path.Combine(outDir, ComparisonReport.MarkdownFile)), StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_DefaultWarmupFollowsEachConRCellsEpochs_EqualPassCellsWithoutConRGetNone()
    {
        using var data = new TinyAgeDataSet();
        var common = data.Config(epochs: 16) with { BetaWarmupEpochs = 0 };
        var runner = new ComparisonRunner(Path.Combine(data.Root, "plan"), "cpu", TextWriter.Null);

        var cells = runner.Plan(common, ComparisonMethod.ParseList("vanilla,lds"), withAndWithoutConR: true, seeds: 1, equalImagePasses: true);

        Assert.Equal([0.0, AgeTrainConfig.DefaultBetaWarmupEpochs, 0.0, AgeTrainConfig.DefaultBetaWarmupEpochs], cells.Select(c => c.Config.BetaWarmupEpochs));
        Assert.Equal([48, 16, 48, 16], cells.Select(c => c.Config.Epochs));
    }
}
