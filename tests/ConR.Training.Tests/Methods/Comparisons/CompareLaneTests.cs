using System.Diagnostics;
using System.Text.Json;
using ConR.Training.Methods.Comparisons;
using ConR.Training.Age;
using ConR.Training.Tests.Age;
using ConR.Training.Engine;

namespace ConR.Training.Tests.Methods.Comparisons;

/// <summary>The unattended study: runs several at a time (lanes), claims per cell, equal image-passes.</summary>
[Collection(SeededTorchRuns.Name)]
public sealed class CompareLaneTests
{
    [Fact]
    public void Claim_HeldByAnotherProcess_TheCellIsLeftToIt_AndTrainedOnceReleased()
    {
        using var data = new TinyAgeDataSet();
        var outDir = Path.Combine(data.Root, "claims");
        var runner = new ComparisonRunner(outDir, "cpu", TextWriter.Null);
        var cells = runner.Plan(data.Config(epochs: 1), [ComparisonMethod.Parse("vanilla")], withAndWithoutConR: false, seeds: 2);

        var log = new StringWriter();
        using (var held = CellClaim.TryTake(runner.OutDir, "vanilla-s1"))
        {
            Assert.NotNull(held);
            Assert.Null(CellClaim.TryTake(runner.OutDir, "vanilla-s1"));
            var outcomes = new ComparisonRunner(outDir, "cpu", log).Run(cells)!;
            Assert.Equal([CellStatus.Elsewhere, CellStatus.Trained], outcomes.Select(o => o.Status));
            Assert.False(ComparisonRunner.IsFinished(new RunDirectory(cells[0].Folder)));
            Assert.Contains("vanilla-s1: being trained by another process", log.ToString(), StringComparison.Ordinal);
        }

        var again = runner.Run(cells)!;
        Assert.Equal([CellStatus.Trained, CellStatus.Reused], again.Select(o => o.Status));
    }

    [Theory]
    [InlineData("official", 3)]
    [InlineData("two-view", 2)]
    [InlineData("single-forward", 3)]
    public void EqualImagePasses_RunsWithoutConR_TrainTheConRRunsBackbonePasses(string step, int passes)
    {
        using var data = new TinyAgeDataSet();
        var common = data.Config(epochs: 4) with { ConRStep = step };
        var runner = new ComparisonRunner(Path.Combine(data.Root, "passes"), "cpu", TextWriter.Null);

        var equal = runner.Plan(common, [ComparisonMethod.Parse("vanilla")], withAndWithoutConR: true, seeds: 1, equalImagePasses: true);
        var same = runner.Plan(common, [ComparisonMethod.Parse("vanilla")], withAndWithoutConR: true, seeds: 1);

        Assert.Equal([4 * passes, 4], equal.Select(c => c.Config.Epochs));
        Assert.Equal([4, 4], same.Select(c => c.Config.Epochs));
    }

    [Fact]
    public void WorkerArguments_DropTheLaneCount_AndMarkTheWorker()
    {
        Assert.Equal(
            ["compare", "--out", "o", "--seeds", "2", "--lane-worker"],
            LaneArguments.ForWorker(["compare", "--lanes", "2", "--out", "o", "--seeds", "2"]));
        Assert.Equal(["compare", "--out", "o", "--lane-worker"], LaneArguments.ForWorker(["compare", "--lanes=3", "--out", "o", "--lane-worker"]));
    }

    // End to end through the real executable: `compare --lanes 2` starts two copies of itself as workers; every cell is
    // trained exactly once, by one of them, and the parent writes the table from their reports.
    [Fact]
    public async Task Cli_TwoLanes_TrainEveryCellOnce_AndTheParentWritesTheTable()
    {
        using var data = new TinyAgeDataSet();
        var outDir = Path.Combine(data.Root, "lanes");
        var dll = Path.Combine(AppContext.BaseDirectory, "conr-train.dll");
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     dll, "compare", "--task", "age", "--data", data.Root, "--csv", "tiny.csv", "--out", outDir, "--methods", "vanilla",
                     "--with-and-without-conr", "--equal-image-passes", "--conr-step", "two-view", "--seeds", "2", "--lanes", "2",
                     "--arch", "resnet18", "--width", "0.0625", "--img-size", "16", "--batch-size", "8", "--workers", "1", "--epochs", "1",
                     "--precision", "fp32",
                 })
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(info)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var stderr = await stderrTask;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{stdout}\n{stderr}");

        string[] cells = ["vanilla-s1", "vanilla-s2", "vanilla+conr-s1", "vanilla+conr-s2"];
        var laneLogs = Enumerable.Range(1, 2).Select(i => File.ReadAllText(Path.Combine(outDir, Comparison.LaneLogFolder, $"lane-{i}.log"))).ToList();
        foreach (var cell in cells)
        {
            int trained = laneLogs.Sum(text => text.Split($"{cell}: training").Length - 1);
            Assert.True(trained == 1, $"{cell} was trained {trained} times\n{string.Join("\n----\n", laneLogs)}");
        }
        Assert.Contains("4 run(s) reused", stdout, StringComparison.Ordinal);
        Assert.Contains("Runs without ConR train 2 epochs", stdout, StringComparison.Ordinal);
        Assert.Equal(2, AgeTrainConfig.Read(Path.Combine(outDir, "vanilla-s1", "config.json")).Epochs);
        Assert.Equal(1, AgeTrainConfig.Read(Path.Combine(outDir, "vanilla+conr-s2", "config.json")).Epochs);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, ComparisonReport.JsonFile)));
        Assert.Equal(2, json.RootElement.GetProperty("rows").GetArrayLength());
        Assert.Equal(2, json.RootElement.GetProperty("epochsWithoutConR").GetInt32());
    }
}
