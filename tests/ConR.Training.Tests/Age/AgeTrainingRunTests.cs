using System.Text.Json;
using ConR.Training.Age;
using ConR.Training.Engine;

namespace ConR.Training.Tests.Age;

[Collection(SeededTorchRuns.Name)]
public sealed class AgeTrainingRunTests
{
    [Fact]
    public void Execute_TinyConRRun_WritesDirTablesAndPlots()
    {
        using var data = new TinyAgeDataSet();
        var runDir = data.NewRunDir();
        var log = new StringWriter();

        int code = AgeTrainingRun.Execute(data.Config(conr: true), runDir, resume: false, "cpu", log);

        Assert.Equal(0, code);
        var reports = Path.Combine(runDir, "reports");
        foreach (var file in new[] { "eval-val.json", "eval-test.json", "eval-val.md", "eval-test.md", "loss-curves.png", "error-by-age-test.png" })
        {
            Assert.True(File.Exists(Path.Combine(reports, file)), $"{file} missing");
        }
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "eval-test.json")));
        var all = json.RootElement.GetProperty("table").GetProperty("all");
        Assert.Equal(12, all.GetProperty("count").GetInt32());
        Assert.True(all.GetProperty("mae").GetDouble() > 0);
        Assert.Contains("| All |", File.ReadAllText(Path.Combine(reports, "eval-test.md")), StringComparison.Ordinal);
        Assert.Contains("Done: 2 epochs", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_ResumeWithDifferentFlags_IsRefused()
    {
        using var data = new TinyAgeDataSet();
        var runDir = data.NewRunDir();
        AgeTrainingRun.Execute(data.Config(epochs: 1), runDir, resume: false, "cpu", TextWriter.Null);

        var error = Assert.Throws<ConfigurationException>(() =>
            AgeTrainingRun.Execute(data.Config(epochs: 1) with { LearningRate = 0.5 }, runDir, resume: true, "cpu", TextWriter.Null));
        Assert.Contains("differ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--lds", "--reweight")]
    [InlineData("--reweight sqrt_inv --lds-ks 7", "--lds")]
    [InlineData("--w 2", "--conr")]
    [InlineData("--beta 1", "--conr")]
    [InlineData("--loss l3", "l1, mse")]
    [InlineData("--reweight sqrtinv", "sqrt_inv")]
    [InlineData("--precision fp16", "auto, fp32 or bf16")]
    public void Cli_FlagsThatDoNotFit_AreRefusedBeforeAnyWork(string flags, string expectedHint)
    {
        using var data = new TinyAgeDataSet(train: 2, val: 1, test: 1);
        var runDir = data.NewRunDir();
        int code = CliInvocation.Run($"train age --data {data.Root} --csv tiny.csv --out {runDir} {flags}", out var error);
        Assert.Equal(2, code);
        Assert.Contains(expectedHint, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(runDir), "a refused command must not create the run folder");
    }

    [Fact]
    public void Cli_WrongData_LeavesNoRun_SoTheCorrectedCommandStarts()
    {
        using var data = new TinyAgeDataSet(train: 8, val: 2, test: 2);
        var runDir = data.NewRunDir();
        string flags = "--arch resnet18 --width 0.0625 --img-size 16 --batch-size 4 --epochs 1 --workers 1 --precision fp32";

        int failed = CliInvocation.Run($"train age --data {data.Root}-missing --csv tiny.csv --out {runDir} {flags}", out var error);
        Assert.NotEqual(0, failed);
        Assert.False(File.Exists(Path.Combine(runDir, "config.json")), $"a run that failed before its first step left config.json ({error})");

        Assert.Equal(0, CliInvocation.Run($"train age --data {data.Root} --csv tiny.csv --out {runDir} {flags}", out var second));
        Assert.True(File.Exists(Path.Combine(runDir, "config.json")), second);
    }
}
