using System.Globalization;
using System.Reflection;
using ConR.Shared.Calibration;
using ConR.Shared.ModelPackage;

namespace ConR.Recalibrate;

/// <summary>
/// Reads REPO/NAME/V, recalibrates it for its task and writes REPO/NAME/V+1: model.onnx byte for byte, the old card's
/// fields, and schema version, version, calibration, commit and date new.
/// </summary>
internal static class Recalibrator
{
    /// <summary>The written package folder, or null for a dry run.</summary>
    public static string? Run(RecalibrateArguments arguments, TextWriter log)
    {
        var package = SourcePackage.Read(arguments.Package);
        var card = package.Card;
        var target = Path.Combine(package.Repository, package.Name, (package.Version + 1).ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(target))
        {
            throw new RecalibrationRefusedException($"{target} exists; versions are never overwritten.");
        }

        if (!Directory.Exists(arguments.Data))
        {
            throw new RecalibrationInputException($"--data {arguments.Data} is not a folder.");
        }

        log.WriteLine($"Package: {package.Name}/{package.Version} ({card.Task}, schema {ReadSchemaVersion(arguments.Package)}), model.onnx SHA-256 {card.OnnxSha256}");
        var calibration = card.Task switch
        {
            ModelTasks.Age => AgeRecalibration.Run(package, arguments, log),
            ModelTasks.Depth => DepthRecalibration.Run(package, arguments, log),
            _ => throw new RecalibrationInputException($"Unknown task '{card.Task}'."),
        };
        foreach (var (mix, fitted) in calibration.Present())
        {
            log.WriteLine($"Calibration ({mix}): {fitted.Table.Ranges.Count} ranges by {fitted.Table.Options.KeyedBy}; {fitted.TargetNote} Target {(fitted.TargetMet ? "met" : "NOT met")}.");
        }

        var next = card with
        {
            SchemaVersion = ModelCard.CurrentSchemaVersion,
            Version = package.Version + 1,
            Calibration = calibration,
            GitCommit = GitCommit,
            CreatedUtc = DateTimeOffset.UtcNow,
        };
        if (arguments.DryRun)
        {
            log.WriteLine($"Dry run: {target} not written.");
            return null;
        }

        var written = PackageWriter.Publish(target, next, package.Onnx);
        log.WriteLine($"Wrote {written} (model.onnx unchanged, SHA-256 {next.OnnxSha256}).");
        return written;
    }

    /// <summary>Gets the commit this tool was built from (stamped into the informational version at build time).</summary>
    public static string GitCommit
    {
        get
        {
            var version = typeof(Recalibrator).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            var plus = version?.IndexOf('+', StringComparison.Ordinal) ?? -1;
            return plus >= 0 && version!.Length > plus + 1 ? version[(plus + 1)..] : "unknown";
        }
    }

    /// <summary>
    /// The old card's range grid, levels and minimum samples, so the new tables keep its ranges comparable; the
    /// label-keyed table's scale bandwidth is the old card's if it had one, else today's default for the task (a
    /// recalibration brings an old package to the current method).
    /// </summary>
    public static CalibrationOptions Grid(ModelCard card)
    {
        var options = card.Calibration.Balanced.Table.Options;
        var current = card.Task == ModelTasks.Depth ? CalibrationOptions.Depth : CalibrationOptions.Age;
        return new CalibrationOptions(
            options.RangeWidth, options.RangeStart, options.Levels, options.MinSamplesPerRange, ScaleBandwidth: options.ScaleBandwidth ?? current.ScaleBandwidth);
    }

    /// <exception cref="RecalibrationRefusedException">A reproduced metric differs from the card's.</exception>
    public static void RequireReproduced(ReproductionCheck check, ModelCard card, TextWriter log)
    {
        if (check.Failures.Any())
        {
            throw new RecalibrationRefusedException(
                $"running model.onnx over the data does not reproduce the metrics of {card.Name}/{card.Version}'s card (other data or other preprocessing):" +
                Environment.NewLine + check.Describe());
        }

        log.WriteLine($"Reproduced the card's metrics: {check.Describe()}.");
    }

    private static int ReadSchemaVersion(string folder) =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, SourcePackage.CardFile)))?["schemaVersion"]?.GetValue<int>() ?? 0;
}
