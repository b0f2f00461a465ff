using System.Globalization;

namespace ConR.Recalibrate;

/// <summary>The command line of the recalibration tool.</summary>
internal sealed record RecalibrateArguments(
    string Package,
    string Data,
    string? Csv,
    string? CalibrationData,
    IReadOnlyList<string> CalibrationCsvs,
    bool WithVal,
    bool DryRun,
    int Threads)
{
    public const string Usage = """
        ConR.Recalibrate: recalibrate a model package from its ONNX graph. Runs models/NAME/V/model.onnx over the card's
        val and test splits with the card's input spec, refuses to go on unless that reproduces the card's val/test
        metrics, fits the intervals of both label mixes (the current card schema) and writes models/NAME/V+1: the same model.onnx,
        the old card's other fields, the new calibration.

          --package DIR            the package to recalibrate, REPO/NAME/V (required)
          --data DIR               the data the card was measured on (required): age, the folder of the split CSV
                                   (age,path,split); depth, the folder of the train/val/test CSVs (rgb,depth)
          --csv FILE               age: the split CSV inside --data (default: the card's dataSet.splitFile)
          --calibration-data DIR   depth: fit the intervals on these scenes instead of val (an independent set,
                                   e.g. SynthDepth-DIR from another seed); coverage is still measured on test
          --calibration-csv LIST   the CSVs of --calibration-data to use, comma-separated
                                   (default synth_train.csv,synth_val.csv,synth_test.csv)
          --with-val               depth: fit on val and --calibration-data together
          --dry-run                measure and print, write nothing
          --threads N              ONNX Runtime intra-op threads (default 2)

        Exit code: 0 written (or measured, with --dry-run); 1 refused (the metrics do not reproduce, the package is
        inconsistent, the calibration data is not independent, V+1 exists); 2 bad arguments or unreadable data.
        """;

    public static IReadOnlyList<string> DefaultCalibrationCsvs { get; } = ["synth_train.csv", "synth_val.csv", "synth_test.csv"];

    /// <summary>The arguments, or the reason they are wrong; both null for --help.</summary>
    public static (RecalibrateArguments? Arguments, string? Error) Parse(IReadOnlyList<string> args)
    {
        string? package = null, data = null, csv = null, calibrationData = null;
        string[]? calibrationCsvs = null;
        bool withVal = false, dryRun = false;
        var threads = 2;
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            switch (flag)
            {
                case "--help" or "-h":
                    return (null, null);
                case "--with-val":
                    withVal = true;
                    continue;
                case "--dry-run":
                    dryRun = true;
                    continue;
            }

            if (i + 1 >= args.Count)
            {
                return (null, $"{flag} needs a value.");
            }

            var value = args[++i];
            switch (flag)
            {
                case "--package":
                    package = value;
                    break;
                case "--data":
                    data = value;
                    break;
                case "--csv":
                    csv = value;
                    break;
                case "--calibration-data":
                    calibrationData = value;
                    break;
                case "--calibration-csv":
                    calibrationCsvs = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (calibrationCsvs.Length == 0)
                    {
                        return (null, "--calibration-csv needs at least one file name.");
                    }

                    break;
                case "--threads":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out threads) || threads < 1)
                    {
                        return (null, $"--threads {value}: expected a number >= 1.");
                    }

                    break;
                default:
                    return (null, $"Unknown argument {flag}.");
            }
        }

        if (package is null || data is null)
        {
            return (null, "--package and --data are required.");
        }

        if (calibrationData is null && (calibrationCsvs is not null || withVal))
        {
            return (null, "--calibration-csv and --with-val need --calibration-data.");
        }

        return (new RecalibrateArguments(package, data, csv, calibrationData, calibrationCsvs ?? DefaultCalibrationCsvs, withVal, dryRun, threads), null);
    }
}
