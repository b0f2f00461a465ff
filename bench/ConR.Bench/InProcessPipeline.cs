using System.Collections.Concurrent;
using System.Diagnostics;
using ConR.Shared.Preprocessing;
using Microsoft.ML.OnnxRuntime;

namespace ConR.Bench;

/// <summary>
/// Part 2: what the service does per image without HTTP. Decoding and preprocessing use the shared code the API uses
/// (<see cref="SafeImageDecoder"/>, <see cref="ImagePreprocessor"/>) with the API's default limits; the batched part
/// is shaped like the API's BatchScheduler: decode/preprocess workers write each image's tensor into its own pooled
/// buffer and queue it; one worker takes up to a batch of queued images, copies them into one batch buffer and runs
/// ONNX Runtime through OrtValues over that buffer.
/// </summary>
internal static class InProcessPipeline
{
    // The API's defaults (src/Api/Options/InferenceOptions.cs): MaxPixels, IdentifyTimeoutMs, DecodeTimeoutMs.
    public const long MaxPixels = 40_000_000;
    public static readonly TimeSpan IdentifyTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DecodeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Decode + resize + CHW into <paramref name="destination"/>.</summary>
    public static void DecodeAndPreprocess(byte[] jpeg, ImageSpec spec, Span<float> destination)
    {
        using var image = SafeImageDecoder.Decode(jpeg, MaxPixels, DecodeTimeout);
        using var resized = ImagePreprocessor.Resize(image, spec);
        ImagePreprocessor.ToChw(resized, spec, destination);
    }

    /// <summary>
    /// One image at a time on one thread: decode, preprocess, ORT at batch 1; the reference the service's
    /// concurrency-1 latency is compared with. Also times each stage, and the header check (Identify) the service
    /// runs before decoding.
    /// </summary>
    public static IReadOnlyList<Cell> Sequential(InferenceSession session, AgeModelPackage model, byte[] jpeg, double warmupSeconds, double seconds)
    {
        var input = new float[model.InputLength];
        var output = new float[model.OutputLength];
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, model.InputShape(1));
        using var outputValue = OrtValue.CreateTensorValueFromMemory(output, model.OutputShape(1));
        using var runOptions = new RunOptions();
        string[] inputNames = [model.InputName];
        string[] outputNames = [model.OutputName];
        OrtValue[] inputs = [inputValue];
        OrtValue[] outputs = [outputValue];
        var identify = new List<long>();
        var decode = new List<long>();
        var preprocess = new List<long>();
        var ort = new List<long>();
        var total = new List<long>();
        var recording = false;

        void Once()
        {
            var t0 = Stopwatch.GetTimestamp();
            using (var header = new MemoryStream(jpeg, writable: false))
            {
                SafeImageDecoder.Identify(header, MaxPixels, IdentifyTimeout);
            }

            var t1 = Stopwatch.GetTimestamp();
            using var image = SafeImageDecoder.Decode(jpeg, MaxPixels, DecodeTimeout);
            var t2 = Stopwatch.GetTimestamp();
            using (var resized = ImagePreprocessor.Resize(image, model.Spec))
            {
                ImagePreprocessor.ToChw(resized, model.Spec, input);
            }

            var t3 = Stopwatch.GetTimestamp();
            session.Run(runOptions, inputNames, inputs, outputNames, outputs);
            var t4 = Stopwatch.GetTimestamp();
            if (recording)
            {
                identify.Add(t1 - t0);
                decode.Add(t2 - t1);
                preprocess.Add(t3 - t2);
                ort.Add(t4 - t3);
                total.Add(t4 - t1);
            }
        }

        OrtThroughput.RunFor(warmupSeconds, 3, Once, null);
        recording = true;
        var mark = CpuSample.Mark();
        var elapsed = OrtThroughput.RunFor(seconds, 5, Once, null);
        var cpu = CpuSample.Since(mark);
        var n = total.Count;
        return
        [
            new Cell("2 one image at a time", "decode + preprocess + ORT b1", n / elapsed, LatencyStats.FromTicks(total), n, Note: "1 thread, no queue; identify excluded").WithCpu(cpu, n),
            new Cell("2 stage", "identify (header only)", double.NaN, LatencyStats.FromTicks(identify), n, Note: "the service runs it before decode"),
            new Cell("2 stage", "decode (SafeImageDecoder)", double.NaN, LatencyStats.FromTicks(decode), n),
            new Cell("2 stage", "resize + CHW (ImagePreprocessor)", double.NaN, LatencyStats.FromTicks(preprocess), n),
            new Cell("2 stage", "ORT batch 1", double.NaN, LatencyStats.FromTicks(ort), n),
        ];
    }

    /// <summary>
    /// The pipeline limit: <paramref name="workers"/> threads decode and preprocess as fast as they can into a
    /// bounded queue; one batcher runs up to <paramref name="maxBatch"/> queued images per ORT call.
    /// </summary>
    public static Cell Limit(InferenceSession session, AgeModelPackage model, byte[] jpeg, int workers, int maxBatch, double warmupSeconds, double seconds)
    {
        var length = model.InputLength;
        var free = new ConcurrentQueue<float[]>();
        for (var i = 0; i < (3 * maxBatch) + (2 * workers); i++)
        {
            free.Enqueue(new float[length]);
        }

        using var ready = new BlockingCollection<float[]>(new ConcurrentQueue<float[]>(), boundedCapacity: 2 * maxBatch);
        using var stop = new CancellationTokenSource();
        var token = stop.Token;
        long images = 0, batches = 0;
        Exception? failure = null;

        var threads = new List<Thread>();
        for (var w = 0; w < workers; w++)
        {
            threads.Add(new Thread(() =>
            {
                try
                {
                    while (!token.IsCancellationRequested)
                    {
                        if (!free.TryDequeue(out var slot))
                        {
                            slot = new float[length];
                        }

                        DecodeAndPreprocess(jpeg, model.Spec, slot);
                        ready.Add(slot, token);
                    }
                }
                catch (OperationCanceledException)
                {
                }
                catch (Exception ex)
                {
                    failure ??= ex;
                }
            }) { IsBackground = true, Name = $"decode-{w}" });
        }

        threads.Add(new Thread(() =>
        {
            var batchInput = new float[maxBatch * length];
            var batchOutput = new float[maxBatch * model.OutputLength];
            var taken = new List<float[]>(maxBatch);
            using var runOptions = new RunOptions();
            string[] inputNames = [model.InputName];
            string[] outputNames = [model.OutputName];
            try
            {
                while (true)
                {
                    taken.Clear();
                    taken.Add(ready.Take(token));
                    while (taken.Count < maxBatch && ready.TryTake(out var more))
                    {
                        taken.Add(more);
                    }

                    var n = taken.Count;
                    for (var i = 0; i < n; i++)
                    {
                        taken[i].CopyTo(batchInput, i * length);
                        free.Enqueue(taken[i]);
                    }

                    using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batchInput.AsMemory(0, n * length), model.InputShape(n));
                    using var output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batchOutput.AsMemory(0, n * model.OutputLength), model.OutputShape(n));
                    session.Run(runOptions, inputNames, [input], outputNames, [output]);
                    Interlocked.Add(ref images, n);
                    Interlocked.Increment(ref batches);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception ex)
            {
                failure ??= ex;
            }
        }) { IsBackground = true, Name = "batcher" });

        foreach (var thread in threads)
        {
            thread.Start();
        }

        Thread.Sleep(TimeSpan.FromSeconds(warmupSeconds));
        var (i0, b0, t0) = (Interlocked.Read(ref images), Interlocked.Read(ref batches), Stopwatch.GetTimestamp());
        var mark = CpuSample.Mark();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        var (i1, b1, t1) = (Interlocked.Read(ref images), Interlocked.Read(ref batches), Stopwatch.GetTimestamp());
        var cpu = CpuSample.Since(mark);
        stop.Cancel();
        foreach (var thread in threads)
        {
            thread.Join();
        }

        if (failure is not null)
        {
            throw new InvalidOperationException("The pipeline failed.", failure);
        }

        var elapsed = (double)(t1 - t0) / Stopwatch.Frequency;
        var meanBatch = b1 > b0 ? (double)(i1 - i0) / (b1 - b0) : double.NaN;
        return new Cell("2 pipeline limit", $"{workers} workers, batches <= {maxBatch}", (i1 - i0) / elapsed, null, i1 - i0,
            Note: $"mean batch {Report.F(meanBatch, 1)}").WithCpu(cpu, i1 - i0);
    }
}
