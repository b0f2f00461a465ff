using System.Globalization;

namespace ConR.Bench;

/// <summary>The bench's command line. Unknown or malformed flags stop it with a message.</summary>
internal sealed class BenchOptions
{
    public const string Usage =
        """
        ConR.Bench: raw ONNX Runtime, the in-process pipeline limit and the ConR.Api service over HTTP, in one run.

          dotnet run --project bench/ConR.Bench -c Release -- --models DIR [options]

          --models DIR          model repository (NAME/VERSION/model.onnx + model.json); required
          --model NAME          the age model's folder name (default: age)
          --image PATH          a JPEG to send (default: a generated 200x200 face-like JPEG)
          --seconds N           seconds per timed cell (default: 5)
          --quick               smoke run: 1 s cells, fewer batch sizes, concurrency 1 and 32 only
          --concurrency LIST    HTTP concurrency levels (default: 1,8,32)
          --max-batch N         the service's Inference:MaxBatchSize for the batched cells (default: 16, the service default)
          --queue-delay-ms N    the service's Inference:MaxQueueDelayMs (default: 2, the service default)
          --intra-op N          ONNX Runtime intra-op threads, bench sessions and service alike (default: 0 = one per core)
          --workers LIST        decode/preprocess workers of the pipeline limit (default: 1 and the core count)
          --no-delay0           skip the extra service configuration MaxQueueDelayMs=0
          --service-warmup S    seconds of untimed load before a service configuration's first cell (default: 8; --quick: 1;
                                0 measures the cold service, whose JIT has not tiered up yet)
          --rounds N            interleaved rounds (pipeline limit, service, batching off) for the throughput targets
                                (default: 5; --quick: 1; 0 skips them and judges the targets on the single cells)
          --memory-models DIR   repository for the idle-memory probe (default: --models); both models load there
          --api-dll PATH        ConR.Api.dll for the idle-memory probe and the soak (default: found next to the bench's build)
          --only LIST           run only some parts: ort,pipeline,http,memory (default: all of these), soak (only when named)
                                soak: ConR.Api as its own process on --models, rate limiting off; "unloaded" = the good
                                clients alone for 30 s (after 5 s untimed), then all clients for --soak-seconds, then
                                --soak-after-seconds idle; targets: no 5xx, good-request p99 < 2x unloaded, VmRSS after
                                - before < 300 MB (before = right after the unloaded phase); see bench/ConR.Bench/README.md
          --soak-seconds N      soak: seconds of mixed good, hostile and oversized traffic (default: 600)
          --soak-after-seconds N
                                soak: idle seconds after it before VmRSS is read again (default: 60)
          --soak-clients G,H,O  soak: good, hostile and oversized clients (default: 4,2,1)
          --markdown PATH       also write the report (Markdown) to PATH
        """;

    // Not the soak: it takes 12 minutes by default, and runs only when --only names it.
    private static readonly string[] DefaultParts = ["ort", "pipeline", "http", "memory"];

    public required string Models { get; init; }

    public string Model { get; init; } = "age";

    public string? Image { get; init; }

    public double Seconds { get; init; } = 5;

    public bool Quick { get; init; }

    public IReadOnlyList<int> Concurrency { get; init; } = [1, 8, 32];

    public int MaxBatch { get; init; } = 16;

    public int QueueDelayMs { get; init; } = 2;

    public int IntraOp { get; init; }

    public IReadOnlyList<int>? Workers { get; init; }

    public bool Delay0 { get; init; } = true;

    public int Rounds { get; init; } = 5;

    public string? MemoryModels { get; init; }

    public string? ApiDll { get; init; }

    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>(DefaultParts, StringComparer.Ordinal);

    /// <summary>Gets the seconds of mixed traffic in the soak (<c>--only soak</c>).</summary>
    public double SoakSeconds { get; init; } = 600;

    /// <summary>Gets the idle seconds after the soak before the service's RSS is read again.</summary>
    public double SoakAfterSeconds { get; init; } = 60;

    /// <summary>Gets the soak's good, hostile and oversized client counts.</summary>
    public IReadOnlyList<int> SoakClients { get; init; } = [4, 2, 1];

    public string? Markdown { get; init; }

    /// <summary>Seconds of untimed work before each cell.</summary>
    public double WarmupSeconds => Quick ? 0.5 : 1.5;

    /// <summary>Gets the seconds of untimed load at the highest concurrency before a service configuration's first cell.</summary>
    public double ServiceWarmupSeconds { get; init; } = 8;

    public IReadOnlyList<int> BatchSweep => Quick ? [1, 8, 32] : [1, 2, 4, 8, 16, 32];

    public bool Runs(string part) => Only.Contains(part);

    public static BenchOptions Parse(string[] args)
    {
        string? models = null, model = null, image = null, memoryModels = null, apiDll = null, markdown = null;
        double? seconds = null;
        double soakSeconds = 600, soakAfter = 60;
        int[] soakClients = [4, 2, 1];
        bool quick = false, delay0 = true;
        IReadOnlyList<int>? concurrency = null, workers = null;
        int maxBatch = 16, queueDelay = 2, intraOp = 0;
        int? rounds = null;
        double? serviceWarmup = null;
        HashSet<string>? only = null;
        for (var i = 0; i < args.Length; i++)
        {
            var flag = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{flag} needs a value.");
            switch (flag)
            {
                case "--models": models = Value(); break;
                case "--model": model = Value(); break;
                case "--image": image = Value(); break;
                case "--seconds": seconds = PositiveDouble(flag, Value()); break;
                case "--quick": quick = true; break;
                case "--concurrency": concurrency = IntList(flag, Value(), 1, 4096); break;
                case "--max-batch": maxBatch = Int(flag, Value(), 1, 256); break;
                case "--queue-delay-ms": queueDelay = Int(flag, Value(), 0, 1000); break;
                case "--intra-op": intraOp = Int(flag, Value(), 0, 256); break;
                case "--workers": workers = IntList(flag, Value(), 1, 64); break;
                case "--no-delay0": delay0 = false; break;
                case "--service-warmup": serviceWarmup = NonNegativeDouble(flag, Value()); break;
                case "--rounds": rounds = Int(flag, Value(), 0, 100); break;
                case "--memory-models": memoryModels = Value(); break;
                case "--api-dll": apiDll = Value(); break;
                case "--markdown": markdown = Value(); break;
                case "--soak-seconds": soakSeconds = PositiveDouble(flag, Value()); break;
                case "--soak-after-seconds": soakAfter = NonNegativeDouble(flag, Value()); break;
                case "--soak-clients":
                    soakClients = IntList(flag, Value(), 0, 64);
                    if (soakClients.Length != 3 || soakClients[0] < 1)
                    {
                        throw new ArgumentException("--soak-clients: three counts G,H,O (good, hostile, oversized), at least one good client.");
                    }

                    break;
                case "--only":
                    only = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    foreach (var part in only)
                    {
                        if (part is not ("ort" or "pipeline" or "http" or "memory" or "soak"))
                        {
                            throw new ArgumentException($"--only: unknown part '{part}' (ort, pipeline, http, memory, soak).");
                        }
                    }

                    break;
                case "-h" or "--help": throw new HelpRequestedException();
                default: throw new ArgumentException($"Unknown flag '{flag}'.");
            }
        }

        if (models is null)
        {
            throw new ArgumentException("--models DIR is required.");
        }

        if (!Directory.Exists(models))
        {
            throw new ArgumentException($"--models '{models}' does not exist.");
        }

        if (image is not null && !File.Exists(image))
        {
            throw new ArgumentException($"--image '{image}' does not exist.");
        }

        return new BenchOptions
        {
            Models = Path.GetFullPath(models),
            Model = model ?? "age",
            Image = image is null ? null : Path.GetFullPath(image),
            Seconds = seconds ?? (quick ? 1 : 5),
            Quick = quick,
            Concurrency = concurrency ?? (quick ? [1, 32] : [1, 8, 32]),
            MaxBatch = maxBatch,
            QueueDelayMs = queueDelay,
            IntraOp = intraOp,
            Workers = workers,
            Delay0 = delay0 && !quick,
            Rounds = rounds ?? (quick ? 1 : 5),
            ServiceWarmupSeconds = serviceWarmup ?? (quick ? 1 : 8),
            MemoryModels = Path.GetFullPath(memoryModels ?? models),
            ApiDll = apiDll is null ? null : Path.GetFullPath(apiDll),
            Only = only ?? new HashSet<string>(DefaultParts, StringComparer.Ordinal),
            SoakSeconds = soakSeconds,
            SoakAfterSeconds = soakAfter,
            SoakClients = soakClients,
            Markdown = markdown is null ? null : Path.GetFullPath(markdown),
        };
    }

    private static double PositiveDouble(string flag, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 && double.IsFinite(d)
            ? d
            : throw new ArgumentException($"{flag}: '{value}' is not a positive number.");

    private static double NonNegativeDouble(string flag, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && double.IsFinite(d)
            ? d
            : throw new ArgumentException($"{flag}: '{value}' is not a number >= 0.");

    private static int Int(string flag, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{flag}: '{value}' is not an integer in [{min}, {max}].");

    private static int[] IntList(string flag, string value, int min, int max) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => Int(flag, v, min, max))];
}

internal sealed class HelpRequestedException : Exception
{
    public HelpRequestedException()
        : base("help")
    {
    }
}
