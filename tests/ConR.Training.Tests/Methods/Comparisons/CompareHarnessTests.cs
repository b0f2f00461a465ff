using System.Text.Json;
using ConR.Training.Age;
using ConR.Training.Engine;
using ConR.Training.Methods.Comparisons;
using ConR.Training.Reporting;
using ConR.Training.Tests.Age;
using ConR.Training.Tests.Reporting;

namespace ConR.Training.Tests.Methods.Comparisons;

[Collection(SeededTorchRuns.Name)]
public sealed class CompareHarnessTests
{
    [Fact]
    public void Method_PartsMapToTheirFlags()
    {
        var common = new AgeTrainConfig { DataDir = "/d", CsvPath = "/d/x.csv", GaiComponents = 8 };

        var ldsFds = ComparisonMethod.Parse("lds+fds").Apply(common, conr: true, seed: 2);
        Assert.Equal(("sqrt_inv", true, true, true, 2), (ldsFds.Reweight, ldsFds.Lds, ldsFds.Fds, ldsFds.ConR, ldsFds.Seed));
        Assert.Null(ldsFds.GaiComponents);

        var bmse = ComparisonMethod.Parse("bmse").Apply(common, conr: false, seed: 1);
        Assert.Equal(("mse", true, "bni", false), (bmse.Loss, bmse.Bmse, bmse.BmseImp, bmse.ConR));
        var gai = ComparisonMethod.Parse("gai").Apply(common, false, 1);
        Assert.Equal(8, gai.GaiComponents);
        Assert.Equal("inverse", ComparisonMethod.Parse("inv+lds").Apply(common, false, 1).Reweight);
        Assert.True(ComparisonMethod.Parse("ranksim").Apply(common, false, 1).RankSim);
        Assert.Equal(common with { Seed = 3 }, ComparisonMethod.Parse("vanilla").Apply(common, false, 3) with { GaiComponents = 8 });
        Assert.Equal("lds+fds+conr-s2", ComparisonMethod.Parse("LDS+FDS").Folder(true, 2));
    }

    [Theory]
    [InlineData("vanilla,xyz", "unknown method 'xyz'")]
    [InlineData("vanilla+conr", "--with-and-without-conr")]
    [InlineData("vanilla,vanilla", "twice")]
    [InlineData("vanilla+fds", "vanilla cannot be combined")]
    [InlineData("bmc+gai", "one Balanced MSE form")]
    [InlineData("", "empty")]
    public void Method_BadListsAreRefused(string methods, string hint)
    {
        var error = Assert.Throws<ConfigurationException>(() => ComparisonMethod.ParseList(methods));
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MetricStat_IsMeanAndSampleStandardDeviation()
    {
        var stat = MetricStat.Of([1.0, 3.0]);
        Assert.Equal(2, stat.Mean);
        Assert.Equal(Math.Sqrt(2), stat.Spread, 12);
        Assert.Equal(0, MetricStat.Of([5.0]).Spread);
    }

    [Fact]
    public void Harness_TinyGrid_WritesTheTableAndResumesOnlyTheInterruptedRun()
    {
        using var data = new TinyAgeDataSet();
        var outDir = Path.Combine(data.Root, "compare");
        var common = data.Config(epochs: 1);
        var methods = ComparisonMethod.ParseList("vanilla,lds");

        var log = new StringWriter();
        Assert.Equal(0, Comparison.Execute(common, methods, withAndWithoutConR: true, seeds: 1, outDir, "cpu", log));

        string[] folders = ["vanilla-s1", "vanilla+conr-s1", "lds-s1", "lds+conr-s1"];
        // The images are decoded for the first run only.
        Assert.Equal(3, log.ToString().Split("Reusing the ").Length - 1);
        foreach (var folder in folders) Assert.True(File.Exists(Path.Combine(outDir, folder, "reports", "eval-test.json")), folder);
        AssertTableMatchesRuns(outDir, folders);
        var markdown = File.ReadAllText(Path.Combine(outDir, ComparisonReport.MarkdownFile));
        Assert.Contains("| vanilla + ConR |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Δ ConR | **", markdown, StringComparison.Ordinal);
        using (PngAssert.IsPicture(Path.Combine(outDir, ComparisonReport.ChartFile), RunPlots.ChartWidth, RunPlots.ChartHeight)) { }

        // Simulate an interruption of one run after its last epoch: its reports are gone, its checkpoints remain.
        var stamps = folders.ToDictionary(f => f, f => File.GetLastWriteTimeUtc(new RunDirectory(Path.Combine(outDir, f)).BestModelPath));
        Directory.Delete(Path.Combine(outDir, "lds+conr-s1", "reports"), recursive: true);
        var runner = new ComparisonRunner(outDir, "cpu", TextWriter.Null);
        var outcomes = runner.Run(runner.Plan(common, methods, true, 1))!;

        Assert.Equal([CellStatus.Reused, CellStatus.Reused, CellStatus.Reused, CellStatus.Resumed], outcomes.Select(o => o.Status));
        foreach (var folder in folders)
        {
            Assert.Equal(stamps[folder], File.GetLastWriteTimeUtc(new RunDirectory(Path.Combine(outDir, folder)).BestModelPath));
        }
        Assert.True(File.Exists(Path.Combine(outDir, "lds+conr-s1", "reports", "eval-test.json")));

        // The full command over the same folder now reuses everything and rewrites the same table.
        log = new StringWriter();
        Assert.Equal(0, Comparison.Execute(common, methods, true, 1, outDir, "cpu", log));
        Assert.Contains("4 run(s) reused", log.ToString(), StringComparison.Ordinal);
        AssertTableMatchesRuns(outDir, folders);
    }

    [Fact]
    public void Harness_WithPrecisionAuto_ReusesItsRunsOnTheNextInvocation()
    {
        using var data = new TinyAgeDataSet();
        var outDir = Path.Combine(data.Root, "compare-auto");
        var common = data.Config(epochs: 1) with { Precision = PrecisionChoice.Auto };
        Assert.Equal(0, Comparison.Execute(common, [ComparisonMethod.Parse("vanilla")], withAndWithoutConR: false, seeds: 1, outDir, "cpu", TextWriter.Null));
        Assert.Contains(AgeTrainConfig.Read(Path.Combine(outDir, "vanilla-s1", "config.json")).Precision, new[] { "fp32", "bf16" });

        var log = new StringWriter();
        Assert.Equal(0, Comparison.Execute(common, [ComparisonMethod.Parse("vanilla")], withAndWithoutConR: false, seeds: 1, outDir, "cpu", log));

        Assert.Contains("1 run(s) reused", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Harness_RunStoppedBeforeItsFirstCheckpoint_IsTrainedAgain()
    {
        using var data = new TinyAgeDataSet();
        var outDir = Path.Combine(data.Root, "compare");
        var common = data.Config(epochs: 1);
        var runner = new ComparisonRunner(outDir, "cpu", TextWriter.Null);
        var cells = runner.Plan(common, ComparisonMethod.ParseList("vanilla"), false, 1);
        // Only the config was written when the run was stopped.
        Directory.CreateDirectory(cells[0].Folder);
        RunDirectory.WriteJsonAtomic(Path.Combine(cells[0].Folder, "config.json"), cells[0].Config);

        var outcomes = runner.Run(cells)!;

        Assert.Equal(CellStatus.Resumed, outcomes[0].Status);
        Assert.NotNull(outcomes[0].Test);
    }

    [Fact]
    public void Harness_FolderWithOtherFlags_IsRefused()
    {
        using var data = new TinyAgeDataSet();
        var outDir = Path.Combine(data.Root, "compare");
        var common = data.Config(epochs: 1);
        var methods = ComparisonMethod.ParseList("vanilla");
        Assert.Equal(0, Comparison.Execute(common, methods, false, 1, outDir, "cpu", TextWriter.Null));

        var error = Assert.Throws<ConfigurationException>(() =>
            Comparison.Execute(common with { LearningRate = 0.5 }, methods, false, 1, outDir, "cpu", TextWriter.Null));
        Assert.Contains("other flags", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_Compare_RunsTheGridAndRefusesMethodSwitches()
    {
        using var data = new TinyAgeDataSet();
        var outDir = Path.Combine(data.Root, "cmp");
        const string tiny = "--arch resnet18 --width 0.0625 --img-size 16 --batch-size 8 --workers 1 --epochs 1";

        int refused = CliInvocation.Run($"compare --task age --data {data.Root} --csv tiny.csv --out {outDir} --methods vanilla --fds {tiny}", out var error);
        Assert.Equal(2, refused);
        Assert.Contains("--fds", error, StringComparison.Ordinal);

        int code = CliInvocation.Run(
            $"compare --task age --data {data.Root} --csv tiny.csv --out {outDir} --methods fds,bmse,ranksim --seeds 2 --start-smooth 0 --bucket-start 0 {tiny}", out error);
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, ComparisonReport.JsonFile)));
        var rows = json.RootElement.GetProperty("rows");
        Assert.Equal(3, rows.GetArrayLength());
        Assert.All(rows.EnumerateArray(), row => Assert.Equal(2, row.GetProperty("all").GetProperty("mae").GetProperty("values").GetArrayLength()));
        Assert.True(Directory.Exists(Path.Combine(outDir, "ranksim-s2")));
    }

    // Every cell of comparison.json equals the value in its run's eval-test.json (one seed: the mean is that value).
    private static void AssertTableMatchesRuns(string outDir, IEnumerable<string> folders)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, ComparisonReport.JsonFile)));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        foreach (var folder in folders)
        {
            var row = rows.Single(r => r.GetProperty("runs").EnumerateArray().Any(x => x.GetString() == folder));
            var table = ComparisonRunner.ReadTestTable(new RunDirectory(Path.Combine(outDir, folder)));
            foreach (var (shot, summary) in new[] { ("all", table.All), ("many", table.Many), ("median", table.Median), ("few", table.Few) })
            {
                AssertSame(summary.Mae, row.GetProperty(shot).GetProperty("mae"), $"{folder} {shot} MAE");
                AssertSame(summary.Gm, row.GetProperty(shot).GetProperty("gm"), $"{folder} {shot} GM");
            }
        }
    }

    private static void AssertSame(double expected, JsonElement stat, string what)
    {
        var mean = stat.GetProperty("mean");
        if (double.IsNaN(expected))
        {
            Assert.True(mean.ValueKind == JsonValueKind.String && mean.GetString() == "NaN", $"{what}: expected NaN");
            return;
        }
        Assert.True(expected == mean.GetDouble(), $"{what}: table {mean.GetDouble()} vs eval JSON {expected}");
        Assert.Equal(expected, stat.GetProperty("values")[0].GetDouble());
    }
}
