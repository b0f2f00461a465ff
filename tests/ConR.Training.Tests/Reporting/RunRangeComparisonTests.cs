using System.Globalization;
using ConR.Training.Reporting;

namespace ConR.Training.Tests.Reporting;

public sealed class RunRangeComparisonTests
{
    [Fact]
    public void Cli_TwoRuns_WriteTheChart_AndTheTableHasEachRunsErrors()
    {
        var root = Directory.CreateTempSubdirectory("plot-runs").FullName;
        try
        {
            var vanilla = FakeRun(root, "vanilla", [(0, 5, 10, 3.5), (5, 10, 3, 7.25), (10, 15, 12, 9.0)]);
            var conr = FakeRun(root, "conr", [(0, 5, 10, 3.0), (5, 10, 3, 6.5), (10, 15, 12, 8.0)]);
            var png = Path.Combine(root, "chart.png");

            int code = CliInvocation.Run($"plot-runs --run {vanilla} --run {conr} --name vanilla --name ConR --min-count 5 --out {png}", out var error);

            Assert.True(code == 0, error);
            using (PngAssert.IsPicture(png, RunPlots.ChartWidth, RunPlots.ChartHeight)) { }
            var series = new[] { RunRangeComparison.Read(vanilla, "test", "vanilla"), RunRangeComparison.Read(conr, "test", "ConR") };
            var table = RunRangeComparison.ToMarkdown(series, minCount: 5);
            Assert.Contains("| 0-5 | 10 | 3.50 | 3.00 |", table, StringComparison.Ordinal);
            Assert.Contains("| 10-15 | 12 | 9.00 | 8.00 |", table, StringComparison.Ordinal);
            Assert.DoesNotContain("5-10", table, StringComparison.Ordinal); // 3 samples < --min-count
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void RunsOverOtherSamples_OrUnfinishedRuns_AreRefused()
    {
        var root = Directory.CreateTempSubdirectory("plot-runs").FullName;
        try
        {
            var a = FakeRun(root, "a", [(0, 5, 10, 3.5)]);
            var b = FakeRun(root, "b", [(0, 5, 11, 3.5)]);
            var png = Path.Combine(root, "x.png");

            Assert.Equal(2, CliInvocation.Run($"plot-runs --run {a} --run {b} --out {png}", out var error));
            Assert.Contains("other ranges or samples", error, StringComparison.Ordinal);
            Assert.Equal(2, CliInvocation.Run($"plot-runs --run {a} --run {Path.Combine(root, "missing")} --out {png}", out error));
            Assert.Contains("eval-test.json does not exist", error, StringComparison.Ordinal);
            Assert.Equal(2, CliInvocation.Run($"plot-runs --run {a} --run {a} --name one --out {png}", out error));
            Assert.False(File.Exists(png));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string FakeRun(string root, string name, (double From, double To, int Count, double Mae)[] ranges)
    {
        var dir = Path.Combine(root, name);
        Directory.CreateDirectory(Path.Combine(dir, "reports"));
        var items = ranges.Select(r => string.Create(CultureInfo.InvariantCulture, $"{{\"from\":{r.From},\"to\":{r.To},\"count\":{r.Count},\"mae\":{r.Mae},\"rmse\":{r.Mae * 1.2}}}"));
        File.WriteAllText(Path.Combine(dir, "reports", "eval-test.json"), $"{{\"split\":\"test\",\"bestEpoch\":3,\"ranges\":[{string.Join(',', items)}]}}");
        return dir;
    }
}
