using ConR.Shared.ModelPackage;
using Microsoft.ML.OnnxRuntime;

namespace ConR.Recalibrate;

/// <summary>
/// Runs a package's graph on CPU with the card's input and first output, batch by batch, with the serving API's
/// session settings (all graph optimisations, sequential execution).
/// </summary>
internal sealed class OnnxScorer : IDisposable
{
    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly string outputName;

    public OnnxScorer(byte[] onnx, ModelCard card, int threads)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
        };
        session = new InferenceSession(onnx, options);
        inputName = card.Input.Name;
        outputName = card.Outputs[0].Name;
        Height = card.Input.Height;
        Width = card.Input.Width;
        OutputLength = card.Outputs[0].Shape.Skip(1).Aggregate(1, (product, dim) => product * dim);
    }

    public int Height { get; }

    public int Width { get; }

    /// <summary>Gets the number of floats one sample's output holds (1 for age, H' x W' for depth).</summary>
    public int OutputLength { get; }

    /// <summary>The outputs of <paramref name="count"/> preprocessed images laid end to end ([count, 3, H, W] in, [count, ...] out).</summary>
    public float[] Run(float[] input, int count)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(input, [count, 3, Height, Width]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [inputName], [value], [outputName]);
        var output = results[0].GetTensorDataAsSpan<float>();
        if (output.Length != count * OutputLength)
        {
            throw new RecalibrationRefusedException($"The graph answered {output.Length} values for {count} images; the card's output shape says {count * OutputLength}.");
        }

        return output.ToArray();
    }

    public void Dispose() => session.Dispose();
}
