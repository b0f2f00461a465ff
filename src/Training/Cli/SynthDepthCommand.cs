using System.CommandLine;
using System.Globalization;
using ConR.Training.Depth.Synth;
using ConR.Training.Engine;

namespace ConR.Training.Cli;

/// <summary>`conr-train synth-depth --out DIR --count N --size WxH --seed S`: renders SynthDepth-DIR.</summary>
internal static class SynthDepthCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output folder (rgb/, depth/, synth_{train,val,test}.csv, histogram.csv, summary.json)", Required = true };
        var count = new Option<int>("--count") { Description = "Number of scenes", DefaultValueFactory = _ => 20000 };
        var size = new Option<string>("--size") { Description = "WIDTHxHEIGHT, e.g. 128x96", DefaultValueFactory = _ => "128x96" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Scenes rendered at once (-1 = every core)", DefaultValueFactory = _ => -1 };
        var realism = new Option<string>("--realism")
        {
            Description = "none (the first generator, byte for byte) | all | a list of textures, lighting, objects, camera " +
                          "(camera: height 0.6:2.1 m, pitch -30:10 degrees); recorded in summary.json",
            DefaultValueFactory = _ => "none",
        };
        var cameraHeight = new Option<string?>("--camera-height") { Description = "Camera height MIN:MAX in metres, uniform (overrides --realism camera's)" };
        var cameraPitch = new Option<string?>("--camera-pitch") { Description = "Camera pitch MIN:MAX in degrees, uniform, negative looks down (overrides --realism camera's)" };
        var command = new Command("synth-depth", "Render SynthDepth-DIR: ray-cast indoor scenes with 16-bit depth in mm, in the NYUD2-DIR layout")
        {
            output, count, size, seed, threads, realism, cameraHeight, cameraPitch,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            (int w, int h) dims;
            try
            {
                dims = SynthDepthGenerator.ParseSize(parse.GetValue(size)!);
            }
            catch (FormatException ex)
            {
                throw new ConfigurationException("--size: " + ex.Message);
            }
            var options = new SynthDepthOptions(parse.GetValue(output)!, parse.GetValue(count), dims.w, dims.h, parse.GetValue(seed))
            {
                MaxDegreeOfParallelism = parse.GetValue(threads),
                Realism = ParseRealism(parse.GetValue(realism)!, parse.GetValue(cameraHeight), parse.GetValue(cameraPitch)),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new ConfigurationException(ex.Message);
            }
            var progress = new ProgressLine(Console.Out);
            var started = DateTime.UtcNow;
            var summary = SynthDepthGenerator.Generate(options, new Progress<int>(n =>
            {
                double rate = n / Math.Max((DateTime.UtcNow - started).TotalSeconds, 1e-9);
                var eta = TimeSpan.FromSeconds((options.Count - n) / Math.Max(rate, 1e-9));
                progress.Report($"rendered {n}/{options.Count} scenes  {rate:F0} scenes/s  ETA {ProgressLine.Eta(eta)}", force: n == options.Count);
            }));
            progress.Done();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SynthDepth-DIR: {summary.Count} scenes ({summary.TrainCount} train / {summary.ValCount} val / {summary.TestCount} test) at {dims.w}x{dims.h} " +
                $"in {summary.ElapsedSeconds:F1} s ({summary.ScenesPerSecond:F0} scenes/s)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Pixels: {summary.FractionBelow1m:P1} below 1 m, {summary.FractionBetween1p5And4m:P1} in 1.5-4 m, {summary.FractionAbove6m:P1} at 6 m or more"));
            Console.WriteLine(options.Realism.IsNone
                ? "Generator: version 1 (no realism options)"
                : $"Generator: version {options.Realism.GeneratorVersion}, realism {string.Join(", ", options.Realism.Names())}" +
                  $"{(options.Realism.CameraHeight is { } h ? $", camera height {h} m" : "")}{(options.Realism.CameraPitch is { } p ? $", pitch {p} degrees" : "")}");
            Console.WriteLine($"Wrote {Path.GetFullPath(options.OutputDir)} ({SynthDepthGenerator.TrainCsv}, {SynthDepthGenerator.ValCsv}, {SynthDepthGenerator.TestCsv}, {SynthDepthGenerator.HistogramCsv}, {SynthDepthGenerator.SummaryJson})");
            return 0;
        }));
        return command;
    }

    private static SynthRealism ParseRealism(string realism, string? cameraHeight, string? cameraPitch)
    {
        try
        {
            var parsed = SynthRealism.Parse(realism);
            if (cameraHeight is not null) parsed = parsed with { CameraHeight = SynthRange.Parse(cameraHeight) };
            if (cameraPitch is not null) parsed = parsed with { CameraPitch = SynthRange.Parse(cameraPitch) };
            return parsed;
        }
        catch (FormatException ex)
        {
            throw new ConfigurationException(ex.Message);
        }
    }
}
