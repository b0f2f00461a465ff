using ConR.Training.Depth.Export;
using ConR.Training.Depth.Models;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using static ConR.Training.Tests.Export.ExportTestSupport;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Depth.Export;

/// <summary>One random batch through a depth model in TorchSharp eval mode and through its exported graph in ONNX Runtime.</summary>
internal static class DepthExportParity
{
    private const double AbsoluteTolerance = 1e-3; // metres
    private const double RelativeTolerance = 1e-4;

    /// <summary>
    /// Asserts that ONNX Runtime answers <paramref name="batch"/> images (random, from <paramref name="inputSeed"/>) with
    /// the model's output shape and the values TorchSharp gives within tolerance, and that the input moves the output.
    /// </summary>
    public static void AssertBatchMatches(DepthNet model, InferenceSession session, int batch, int inputSeed, ITestOutputHelper output, string label)
    {
        var spec = model.Spec;
        long[] shape = [batch, 3, spec.ImageHeight, spec.ImageWidth];
        var input = RandomInput(batch * 3 * spec.ImageHeight * spec.ImageWidth, inputSeed);
        float[] expected;
        using (var scope = NewDisposeScope())
        using (var noGrad = no_grad())
        {
            expected = model.forward(tensor(input, shape)).Depth.contiguous().data<float>().ToArray();
        }

        var (actual, outShape) = Run(session, DepthOnnxExport.InputName, input, shape, DepthOnnxExport.OutputName);
        Assert.Equal(new long[] { batch, 1, spec.OutputHeight, spec.OutputWidth }, outShape);
        var (maxAbs, scale) = Compare(actual, expected);
        output.WriteLine($"{label}, batch {batch}: max |diff| {maxAbs:E2} m, scale {scale:F3} m");
        Assert.True(maxAbs <= AbsoluteTolerance, $"max abs diff {maxAbs:E3} m");
        Assert.True(maxAbs <= RelativeTolerance * scale || maxAbs <= 1e-5, $"max abs diff {maxAbs:E3} exceeds {RelativeTolerance} of {scale:F3}");
        // The input must move the output, or parity would only compare the bias.
        Assert.True(expected.Max() - expected.Min() > 0.05, "depth barely varies");
    }
}
