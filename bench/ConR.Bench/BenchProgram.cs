using System.Globalization;
using System.Runtime.InteropServices;
using ConR.Bench.Soak;
using ConR.Shared.Preprocessing;
using Microsoft.ML.OnnxRuntime;

namespace ConR.Bench;

internal static class BenchProgram
{
    private const string BatchedPart = "3 service";
    private const string Delay0Part = "3b service, MaxQueueDelayMs=0";
    private const string UnbatchedPart = "4 service, batching off";

    public static async Task<int> Main(string[] args)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (HelpRequestedException)
        {
            Console.WriteLine(BenchOptions.Usage);
            return 0;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(BenchOptions.Usage);
            return 2;
        }

        try
        {
            var report = await RunAsync(options);
            var markdown = report.ToMarkdown();
            Console.WriteLine();
            Console.WriteLine(markdown);
            if (options.Markdown is not null)
            {
                await File.WriteAllTextAsync(options.Markdown, markdown);
                Console.WriteLine($"Report written to {options.Markdown}");
            }

            return 0;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"The bench failed: {ex}");
            return 1;
        }
    }

    private static async Task<Report> RunAsync(BenchOptions options)
    {
        var report = new Report();
        var model = AgeModelPackage.Open(options.Models, options.Model);
        var jpeg = options.Image is null ? FaceJpeg.Create() : await File.ReadAllBytesAsync(options.Image);
        ImageInfoResult info;
        using (var header = new MemoryStream(jpeg, writable: false))
        {
            info = SafeImageDecoder.Identify(header, InProcessPipeline.MaxPixels, Timeout.InfiniteTimeSpan);
        }

        Describe(report, options, model, jpeg, info);
        foreach (var (name, value) in report.Context)
        {
            Console.WriteLine($"{name}: {value}");
        }

        var image = new float[model.InputLength];
        InProcessPipeline.DecodeAndPreprocess(jpeg, model.Spec, image);

        Cell? sequential = null;
        Cell? limit = null;
        (int Workers, int MaxBatch)? limitConfig = null;
        var bestBatch = options.MaxBatch;
        using var session = options.Runs("ort") || options.Runs("pipeline") ? model.CreateSession(options.IntraOp) : null;
        if (session is not null && options.Runs("ort"))
        {
            Console.WriteLine("1. ONNX Runtime alone (OrtValue runs on a preprocessed image):");
            var sweep = new List<Cell>();
            foreach (var batch in options.BatchSweep)
            {
                var cell = OrtThroughput.Measure(session, model, image, batch, options.WarmupSeconds, options.Seconds);
                sweep.Add(cell);
                report.Add(cell);
            }

            var best = sweep.MaxBy(c => c.ImagesPerSecond)!;
            bestBatch = int.Parse(best.What["batch ".Length..], CultureInfo.InvariantCulture);
            var one = sweep.First(c => c.What == "batch 1");
            report.AddNote($"ORT alone: best batch {bestBatch} ({Report.F(best.ImagesPerSecond, 0)} images/s) = {Report.F(best.ImagesPerSecond / one.ImagesPerSecond, 2)}x batch 1.");
        }

        if (session is not null && options.Runs("pipeline"))
        {
            Console.WriteLine("2. In-process pipeline (decode + preprocess + ORT, no HTTP):");
            foreach (var cell in InProcessPipeline.Sequential(session, model, jpeg, options.WarmupSeconds, options.Seconds))
            {
                report.Add(cell);
                sequential ??= cell;
            }

            var workers = options.Workers ?? (options.Quick ? [Environment.ProcessorCount] : [.. new[] { 1, Environment.ProcessorCount }.Distinct()]);
            var batches = options.Quick ? [bestBatch] : new[] { bestBatch, options.MaxBatch }.Distinct().ToArray();
            foreach (var w in workers)
            {
                foreach (var b in batches)
                {
                    var cell = InProcessPipeline.Limit(session, model, jpeg, w, b, options.WarmupSeconds, options.Seconds);
                    report.Add(cell);
                    if (limit is null || cell.ImagesPerSecond > limit.ImagesPerSecond)
                    {
                        (limit, limitConfig) = (cell, (w, b));
                    }
                }
            }

            report.AddNote($"Pipeline limit = the best pipeline cell: {limit!.What}, {Report.F(limit.ImagesPerSecond, 0)} images/s.");
        }

        GC.Collect();
        var configurations = new List<(string Part, int MaxBatch, int DelayMs)>
        {
            (BatchedPart, options.MaxBatch, options.QueueDelayMs),
        };
        if (options.Delay0 && options.QueueDelayMs != 0)
        {
            configurations.Add((Delay0Part, options.MaxBatch, 0));
        }

        configurations.Add((UnbatchedPart, 1, options.QueueDelayMs));
        var services = new List<ServiceUnderTest>();
        try
        {
            if (options.Runs("http"))
            {
                foreach (var (part, maxBatch, delay) in configurations)
                {
                    Console.WriteLine($"{part} (MaxBatchSize={maxBatch}, MaxQueueDelayMs={delay}), POST /v1/age over HTTP on loopback:");
                    var service = await ServiceUnderTest.StartAsync(options, jpeg, part, maxBatch, delay);
                    services.Add(service);
                    await MeasureServiceAsync(report, options, service);
                    GC.Collect();
                }
            }

            var batched = services.FirstOrDefault(s => s.Part == BatchedPart);
            var unbatched = services.FirstOrDefault(s => s.Part == UnbatchedPart);
            if (session is not null && limitConfig is { } config && batched is not null && unbatched is not null && options.Rounds > 0)
            {
                Console.WriteLine($"6. Interleaved rounds for the throughput targets ({options.Rounds} rounds, concurrency {options.Concurrency.Max()}):");
                var rounds = await PairedRounds.RunAsync(options, session, model, jpeg, config, batched, unbatched, options.Concurrency.Max());
                report.AddRounds(rounds);
            }
        }
        finally
        {
            foreach (var service in services)
            {
                await service.DisposeAsync();
            }
        }

        if (options.Runs("memory"))
        {
            Console.WriteLine("Idle memory (ConR.Api as its own process):");
            var apiDll = options.ApiDll ?? ApiProcess.FindApiDll();
            if (apiDll is null)
            {
                report.AddNote("Idle memory not measured: ConR.Api.dll not found next to the bench's build; pass --api-dll.");
            }
            else
            {
                report.AddMemory("process", ApiProcess.CommandLine(apiDll, options.MemoryModels!, MemoryProbe.Arguments));
                report.AddMemory("models", string.Join(", ", Directory.GetDirectories(options.MemoryModels!).Select(d =>
                    $"{Path.GetFileName(d)} ({Directory.GetFiles(d, "model.onnx", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / 1e6:F1} MB ONNX)")));
                try
                {
                    await MemoryProbe.MeasureAsync(report, apiDll, options.MemoryModels!, jpeg, options.Quick);
                }
                catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or HttpRequestException)
                {
                    report.AddNote($"Idle memory probe failed: {ex.Message}");
                }
            }
        }

        if (options.Runs("soak"))
        {
            await SoakAsync(report, options, jpeg);
        }

        AddTargets(report, options, sequential, limit);
        return report;
    }

    private static async Task SoakAsync(Report report, BenchOptions options, byte[] jpeg)
    {
        var clients = new ClientCounts(options.SoakClients[0], options.SoakClients[1], options.SoakClients[2]);
        var settings = new SoakSettings(options.SoakSeconds, options.SoakAfterSeconds, clients);
        Console.WriteLine($"Soak (ConR.Api as its own process; {SoakRun.WarmupSeconds + SoakRun.UnloadedSeconds + options.SoakSeconds + options.SoakAfterSeconds:F0} s of traffic and idle after it is ready):");
        var apiDll = options.ApiDll ?? ApiProcess.FindApiDll();
        if (apiDll is null)
        {
            report.AddNote("Soak not run: ConR.Api.dll not found next to the bench's build; pass --api-dll.");
            return;
        }

        try
        {
            var result = await SoakRun.RunAsync(apiDll, options.Models, options.Model, jpeg, settings);
            report.AddSection(SoakReport.ToMarkdown(result, $"{CpuModel()}, {Environment.ProcessorCount} cores"));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or HttpRequestException)
        {
            report.AddNote($"Soak failed: {ex.Message}");
        }
    }

    private static async Task MeasureServiceAsync(Report report, BenchOptions options, ServiceUnderTest service)
    {
        // A cold service runs its request path (Kestrel, form reading, decoding) on unoptimised JIT code until tiered
        // compilation catches up, which under full load takes several seconds: the cells measure the steady state.
        var high = options.Concurrency.Max();
        if (options.ServiceWarmupSeconds > 0)
        {
            Console.WriteLine($"  warming up: {options.ServiceWarmupSeconds} s at concurrency {high}, untimed");
            await service.LoadAsync(high, 0, options.ServiceWarmupSeconds);
        }

        if (service.Part == BatchedPart)
        {
            // The HTTP floor: the same connections on the cheapest route, to see what HTTP alone costs here.
            var live = System.Text.Encoding.ASCII.GetBytes($"GET /v2/health/live HTTP/1.1\r\nHost: {service.BaseAddress.Authority}\r\n\r\n");
            var floor = await RawHttpLoad.RunAsync("3 HTTP floor", service.BaseAddress, live, high, options.WarmupSeconds, Math.Min(options.Seconds, 3));
            report.Add(floor with { What = $"GET /v2/health/live, concurrency {high}", Note = "requests/s, no image" });
        }

        foreach (var concurrency in options.Concurrency)
        {
            report.Add(await service.LoadAsync(concurrency, options.WarmupSeconds, options.Seconds));
        }
    }

    private static void AddTargets(Report report, BenchOptions options, Cell? sequential, Cell? limit)
    {
        AddBatchingBound(report);
        var high = options.Concurrency.Max();
        var batched = report.Find(BatchedPart, $"concurrency {high}");
        var delay0 = report.Find(Delay0Part, $"concurrency {high}");
        var unbatched = report.Find(UnbatchedPart, $"concurrency {high}");
        var rounds = report.Rounds;
        if (rounds.Count > 0)
        {
            AddRoundTarget(report, $"{BatchedPart}, concurrency {high} / pipeline limit", rounds.Select(r => r.ServiceShare).ToList(), v => $"{Report.F(100 * v, 1)} %", ">= 85 %", 0.85);
            AddRoundTarget(report, $"{BatchedPart} / batching off, concurrency {high}", rounds.Select(r => r.BatchingGain).ToList(), v => $"{Report.F(v, 2)}x", ">= 1.5x", 1.5);
        }

        // The single cells of parts 2-4, a minute or more apart: shown, but the verdict comes from the rounds when they ran.
        var single = rounds.Count > 0 ? " (single cells, minutes apart)" : string.Empty;
        if (limit is not null)
        {
            foreach (var cell in new[] { batched, delay0 }.OfType<Cell>())
            {
                var ratio = cell.ImagesPerSecond / limit.ImagesPerSecond;
                report.AddTarget(new TargetCheck(
                    $"{cell.Part}, concurrency {high} / pipeline limit{single}",
                    $"{Report.F(cell.ImagesPerSecond, 0)} / {Report.F(limit.ImagesPerSecond, 0)} = {Report.F(100 * ratio, 1)} %",
                    ">= 85 %",
                    rounds.Count > 0 ? null : ratio >= 0.85));
            }
        }

        if (unbatched is not null)
        {
            foreach (var cell in new[] { batched, delay0 }.OfType<Cell>())
            {
                var ratio = cell.ImagesPerSecond / unbatched.ImagesPerSecond;
                report.AddTarget(new TargetCheck(
                    $"{cell.Part} / batching off, concurrency {high}{single}",
                    $"{Report.F(cell.ImagesPerSecond, 0)} / {Report.F(unbatched.ImagesPerSecond, 0)} = {Report.F(ratio, 2)}x",
                    ">= 1.5x",
                    rounds.Count > 0 ? null : ratio >= 1.5));
            }
        }

        if (sequential?.Latency is { } reference && options.Concurrency.Contains(1))
        {
            foreach (var part in new[] { BatchedPart, Delay0Part, UnbatchedPart })
            {
                if (report.Find(part, "concurrency 1")?.Latency is { } service)
                {
                    var added = service.P50 - reference.P50;
                    report.AddTarget(new TargetCheck(
                        $"{part}, concurrency 1: p50 added over decode + preprocess + ORT b1",
                        $"{Report.F(service.P50, 2)} - {Report.F(reference.P50, 2)} = {Report.F(added, 2)} ms",
                        "<= 2 ms",
                        added <= 2));
                }
            }
        }
    }

    private static void AddRoundTarget(Report report, string target, List<double> perRound, Func<double, string> format, string goal, double threshold)
    {
        var median = PairedRounds.Median(perRound);
        var met = perRound.Count(v => v >= threshold);
        report.AddTarget(new TargetCheck(
            $"{target}: median of {perRound.Count} interleaved rounds",
            $"{format(median)} (rounds {format(perRound.Min())} to {format(perRound.Max())}; {met} of {perRound.Count} at goal)",
            goal,
            median >= threshold));
    }

    // What batching can give end to end at most on this machine, from CPU time per image: decoding, preprocessing and
    // HTTP cost the same per image with or without batching; only the ORT part shrinks (Amdahl).
    private static void AddBatchingBound(Report report)
    {
        var decode = report.Find("2 stage", "decode (SafeImageDecoder)")?.Latency?.Mean;
        var preprocess = report.Find("2 stage", "resize + CHW (ImagePreprocessor)")?.Latency?.Mean;
        var ortCells = report.Cells.Where(c => c.Part == "1 ORT").ToList();
        var one = ortCells.FirstOrDefault(c => c.What == "batch 1");
        var best = ortCells.MaxBy(c => c.ImagesPerSecond);
        if (decode is null || preprocess is null || one is null || best is null)
        {
            return;
        }

        var floor = report.Cells.FirstOrDefault(c => c.Part == "3 HTTP floor")?.CpuMsPerImage ?? 0;
        var fixedCost = decode.Value + preprocess.Value + (double.IsNaN(floor) ? 0 : floor);
        var bound = (fixedCost + one.CpuMsPerImage) / (fixedCost + best.CpuMsPerImage);
        report.AddNote(
            $"CPU per image: decode {Report.F(decode, 2)} + resize/CHW {Report.F(preprocess, 2)} + HTTP floor {Report.F(floor, 2)} ms, ORT {Report.F(one.CpuMsPerImage, 2)} ms at batch 1 " +
            $"vs {Report.F(best.CpuMsPerImage, 2)} ms at {best.What}: when CPU-bound, batching can speed the service up by at most " +
            $"({Report.F(fixedCost, 2)} + {Report.F(one.CpuMsPerImage, 2)}) / ({Report.F(fixedCost, 2)} + {Report.F(best.CpuMsPerImage, 2)}) = {Report.F(bound, 2)}x.");
    }

    private static void Describe(Report report, BenchOptions options, AgeModelPackage model, byte[] jpeg, ImageInfoResult info)
    {
        var card = model.Card;
        report.Context.Add(("date (UTC)", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)));
        report.Context.Add(("machine", $"{CpuModel()}, {Environment.ProcessorCount} cores ({IsaFlags()}), {RuntimeInformation.OSDescription}"));
        report.Context.Add(("runtime", $"{RuntimeInformation.FrameworkDescription}, ONNX Runtime {OrtEnv.Instance().GetVersionString()} (CPU EP), workstation GC"));
        report.Context.Add(("model", $"{model.Name}/{model.Version} from {options.Models}: {model.OnnxBytes / 1e6:F1} MB ONNX, input {model.Spec.Width}x{model.Spec.Height}, " +
            $"{card.Training?.Architecture} width {card.Training?.Width}"));
        report.Context.Add(("image", $"{options.Image ?? "generated 200x200 face-like JPEG (quality 85)"}: {info.Width}x{info.Height} {info.Format}, {jpeg.Length} bytes"));
        if (!options.Runs("ort") && !options.Runs("pipeline") && !options.Runs("http"))
        {
            // Only the separate-process parts (memory, soak): the cells' timing and in-process settings do not apply.
            return;
        }

        report.Context.Add(("timing", $"{options.Seconds} s per cell after {options.WarmupSeconds} s warm-up{(options.Quick ? " (--quick)" : string.Empty)}; " +
            $"each service configuration first loaded untimed for {options.ServiceWarmupSeconds} s at the highest concurrency (JIT tiering); " +
            $"throughput targets from {options.Rounds} interleaved rounds"));
        report.Context.Add(("service settings", $"Device=cpu, IntraOpThreads={options.IntraOp} (0 = one per core), MaxBatchSize={options.MaxBatch}, " +
            $"MaxQueueDelayMs={options.QueueDelayMs}, rate limiting off, in-process host on Kestrel 127.0.0.1, Production environment, console logging at Warning"));
        report.Context.Add(("HTTP client", "in the same process: raw HTTP/1.1 keep-alive connections (one per concurrent client), request bytes built once"));
    }

    /// <summary>The CPU's "model name" from /proc/cpuinfo.</summary>
    internal static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    private static string IsaFlags()
    {
        try
        {
            var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(' ') ?? [];
            var interesting = new[] { "avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8" };
            var present = interesting.Where(flags.Contains).ToList();
            return (present.Count == 0 ? "no AVX2" : string.Join(" ", present)) + (flags.Contains("amx_tile") ? string.Empty : ", no AMX");
        }
        catch (IOException)
        {
            return "flags unknown";
        }
    }
}
