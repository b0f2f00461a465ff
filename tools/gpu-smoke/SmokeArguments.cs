using System.Globalization;
using ConR.Api.Options;

namespace ConR.GpuSmoke;

/// <summary>The command line of the smoke test.</summary>
internal sealed record SmokeArguments(
    string Models,
    InferenceDevice Device,
    int DeviceId,
    IReadOnlyList<int> Batches,
    double Seconds,
    int MinRuns,
    bool Verbose)
{
    public const string Usage = """
        ConR.GpuSmoke: load every package of a model repository through the API's loader, compare with the CPU
        provider on one fixture batch (max relative difference <= 1e-3) and print throughput per batch size.

          --models DIR       the model repository (REPO/NAME/VERSION/{model.onnx,model.json}); default ./models
          --device D         cuda (default; fails when CUDA cannot load), cpu, or auto
          --device-id N      the GPU (default 0)
          --batches LIST     batch sizes to time, comma-separated, each 1..256 (default 1,32,256)
          --seconds S        time spent per batch size (default 2)
          --min-runs N       runs per batch size at least (default 3)
          --verbose          the API's own log lines (loads, warm-up)

        Exit code: 0 passed, 1 parity or provider check failed, 2 bad arguments or a package did not load.
        """;

    public static SmokeArguments Default { get; } = new("models", InferenceDevice.Cuda, 0, [1, 32, 256], 2, 3, false);

    /// <summary>The arguments, or the reason they are wrong; null for --help.</summary>
    public static (SmokeArguments? Arguments, string? Error) Parse(IReadOnlyList<string> args)
    {
        var result = Default;
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            if (flag is "--help" or "-h")
            {
                return (null, null);
            }

            if (flag == "--verbose")
            {
                result = result with { Verbose = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                return (null, $"{flag} needs a value.");
            }

            var value = args[++i];
            (result, var error) = flag switch
            {
                "--models" => (result with { Models = value }, null),
                "--device" => Enum.TryParse<InferenceDevice>(value, ignoreCase: true, out var device) && Enum.IsDefined(device)
                    ? (result with { Device = device }, null)
                    : (result, $"--device {value}: expected cuda, cpu or auto."),
                "--device-id" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                    ? (result with { DeviceId = id }, null)
                    : (result, $"--device-id {value}: expected a GPU number."),
                "--batches" => ParseBatches(value) is { } batches
                    ? (result with { Batches = batches }, null)
                    : (result, $"--batches {value}: expected sizes 1..256, comma-separated."),
                "--seconds" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
                    ? (result with { Seconds = seconds }, null)
                    : (result, $"--seconds {value}: expected a number >= 0."),
                "--min-runs" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var runs) && runs >= 1
                    ? (result with { MinRuns = runs }, null)
                    : (result, $"--min-runs {value}: expected a number >= 1."),
                _ => (result, $"Unknown argument {flag}."),
            };
            if (error is not null)
            {
                return (null, error);
            }
        }

        return (result, null);
    }

    // The scheduler's limit (Inference:MaxBatchSize) is 256: a larger batch is never formed by the service.
    private static int[]? ParseBatches(string value)
    {
        var sizes = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parsed = sizes.Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).ToArray();
        return parsed.Length > 0 && parsed.All(n => n is >= 1 and <= 256) ? parsed : null;
    }
}
