using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace ConR.Bench;

/// <summary>
/// Part 1: ONNX Runtime alone. The same preprocessed image repeated in a batch, OrtValues over pinned managed
/// buffers created once, Run back to back on one thread (ORT's intra-op pool uses the other cores).
/// </summary>
internal static class OrtThroughput
{
    public static Cell Measure(InferenceSession session, AgeModelPackage model, float[] image, int batch, double warmupSeconds, double seconds)
    {
        var input = new float[batch * model.InputLength];
        for (var i = 0; i < batch; i++)
        {
            image.CopyTo(input, i * model.InputLength);
        }

        var output = new float[batch * model.OutputLength];
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, model.InputShape(batch));
        using var outputValue = OrtValue.CreateTensorValueFromMemory(output, model.OutputShape(batch));
        using var runOptions = new RunOptions();
        string[] inputNames = [model.InputName];
        string[] outputNames = [model.OutputName];
        OrtValue[] inputs = [inputValue];
        OrtValue[] outputs = [outputValue];

        void RunOnce() => session.Run(runOptions, inputNames, inputs, outputNames, outputs);

        RunFor(warmupSeconds, minimumRuns: 3, RunOnce, null);
        var latencies = new List<long>(4096);
        var mark = CpuSample.Mark();
        var elapsed = RunFor(seconds, minimumRuns: 5, RunOnce, latencies);
        var cpu = CpuSample.Since(mark);
        return new Cell("1 ORT", $"batch {batch}", batch * latencies.Count / elapsed, LatencyStats.FromTicks(latencies), latencies.Count,
            Note: $"{Report.F(elapsed * 1000.0 / latencies.Count / batch, 3)} ms/image").WithCpu(cpu, (long)batch * latencies.Count);
    }

    /// <summary>Runs <paramref name="action"/> until <paramref name="seconds"/> passed and at least <paramref name="minimumRuns"/> ran; returns the seconds.</summary>
    public static double RunFor(double seconds, int minimumRuns, Action action, List<long>? latencies)
    {
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(seconds * Stopwatch.Frequency);
        var runs = 0;
        long now;
        do
        {
            var t0 = Stopwatch.GetTimestamp();
            action();
            now = Stopwatch.GetTimestamp();
            latencies?.Add(now - t0);
            runs++;
        }
        while (now < end || runs < minimumRuns);

        return (double)(now - start) / Stopwatch.Frequency;
    }
}
