using System.CommandLine;
using ConR.Training.Reporting;
using ConR.Training.Engine;

namespace ConR.Training.Cli;

/// <summary>
/// `conr-train plot-runs --run A --run B [--name vanilla --name ConR] [--split test] --out chart.png`: the error by
/// label range of finished runs side by side (a chart, and a Markdown table on stdout).
/// </summary>
internal static class PlotRunsCommand
{
    public static Command Create()
    {
        var runs = new Option<string[]>("--run") { Description = "A finished run folder (repeat the option: two or more)", Required = true, AllowMultipleArgumentsPerToken = false };
        var names = new Option<string[]>("--name") { Description = "Display name per --run, in the same order (default: the folder names)" };
        var split = new Option<string>("--split") { Description = "val | test", DefaultValueFactory = _ => "test" };
        var minCount = new Option<int>("--min-count") { Description = "Leave out ranges with fewer samples", DefaultValueFactory = _ => 5 };
        var output = new Option<string>("--out") { Description = "PNG to write", Required = true };
        var command = new Command("plot-runs", "Chart the error by label range of finished runs side by side (e.g. vanilla against ConR)")
        {
            runs, names, split, minCount, output,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var folders = parse.GetValue(runs)!;
            var labels = parse.GetValue(names) ?? [];
            if (folders.Length < 2) throw new ConfigurationException("--run: give two runs or more");
            if (labels.Length != 0 && labels.Length != folders.Length) throw new ConfigurationException($"--name: {labels.Length} names for {folders.Length} runs");
            var splitName = parse.GetValue(split)!;
            if (splitName is not ("val" or "test")) throw new ConfigurationException($"--split {splitName}: val or test");
            var series = new List<RunRangeComparison.Series>();
            for (int i = 0; i < folders.Length; i++)
            {
                var name = labels.Length > 0 ? labels[i] : Path.GetFileName(Path.TrimEndingDirectorySeparator(folders[i]));
                try
                {
                    series.Add(RunRangeComparison.Read(folders[i], splitName, name));
                }
                catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or System.Text.Json.JsonException)
                {
                    throw new ConfigurationException(ex.Message);
                }
            }
            try
            {
                RunRangeComparison.WriteChart(parse.GetValue(output)!, $"{splitName}: MAE per true-label range", series, parse.GetValue(minCount), "years");
                Console.WriteLine(RunRangeComparison.ToMarkdown(series, parse.GetValue(minCount)));
            }
            catch (ArgumentException ex)
            {
                throw new ConfigurationException(ex.Message);
            }
            Console.WriteLine($"Wrote {parse.GetValue(output)}");
            return 0;
        }));
        return command;
    }
}
