using ConR.Shared.Preprocessing;
using ConR.Training.Age.Export;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;
using static ConR.Training.Tests.Export.ExportTestSupport;

namespace ConR.Training.Tests.Age.Export;

/// <summary>ONNX Runtime on the exported model against TorchSharp eval mode, on randomised weights and batch norms.</summary>
[Collection(SeededTorchRuns.Name)]
public sealed class AgeOnnxExportParityTests(ITestOutputHelper output)
{
    private const double AbsoluteTolerance = 1e-3;
    private const double RelativeTolerance = 1e-4;

    [Theory]
    [InlineData("resnet18", 0.25, 64, 11)] // ImageNet stem (7x7 s2 conv, 3x3 s2 max-pool)
    [InlineData("resnet18-imagenet", 0.25, 64, 14)] // the [2,2,2,3] layout of --init imagenet-resnet18
    [InlineData("resnet50", 0.125, 32, 12)] // Strided stem, bottleneck blocks
    [InlineData("resnet34", 0.0625, 16, 13)] // Small stem, deeper basic stages
    public void Export_MatchesTorchSharp_ForBatch1And8(string architecture, double width, int size, int seed)
    {
        using var model = RandomAgeModel(architecture, width, size, seed);
        byte[] onnx = AgeOnnxExport.ToOnnx(model);
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx, options);
        // The output scale is the batch of 8's max |output|: one sample's output alone can sit near 0.
        double scale = 0;
        foreach (int batch in new[] { 8, 1 })
        {
            long[] shape = [batch, 3, size, size];
            var input = RandomInput(batch * 3 * size * size, seed * 100 + batch);
            var expected = TorchPredict(model, input, shape);
            var (actual, outShape) = Run(session, AgeOnnxExport.InputName, input, shape, AgeOnnxExport.OutputName);
            Assert.Equal(new long[] { batch, 1 }, outShape);
            scale = Math.Max(scale, expected.Max(Math.Abs));
            AssertClose(actual, expected, $"{architecture} w{width} {size}px batch {batch}", scale);
            if (batch > 1)
            {
                // The inputs must move the output, or parity would only compare the bias.
                double spread = expected.Max() - expected.Min();
                Assert.True(spread > 0.05 * expected.Max(Math.Abs), $"batch outputs barely differ: spread {spread:E2}");
            }
        }
    }

    [Fact]
    public void Export_MatchesTorchSharp_OnAPreprocessedImage()
    {
        const int size = 64;
        using var model = RandomAgeModel("resnet18", 0.25, size, 21);
        using var image = new Image<Rgb24>(97, 83);
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                // A gradient, a disc and a checker band: structure at several scales.
                bool disc = ((x - 40) * (x - 40)) + ((y - 45) * (y - 45)) < 400;
                bool checker = y > 65 && ((x / 6) + (y / 6)) % 2 == 0;
                image[x, y] = disc ? new Rgb24(220, 180, 150) : checker ? new Rgb24(20, 20, 30) : new Rgb24((byte)(x * 255 / 96), (byte)(y * 255 / 82), 128);
            }
        }
        var input = ImagePreprocessor.Preprocess(image, ImageSpec.Age(size));
        long[] shape = [1, 3, size, size];
        var expected = TorchPredict(model, input, shape);
        var (actual, _) = RunOnnx(AgeOnnxExport.ToOnnx(model), AgeOnnxExport.InputName, input, shape, AgeOnnxExport.OutputName);
        AssertClose(actual, expected, "resnet18 w0.25 64px image");
    }

    [Fact]
    public void Export_ResNet18Width05At64_IsWeightsPlusSmallOverhead()
    {
        using var model = RandomAgeModel("resnet18", 0.5, 64, 31);
        byte[] onnx = AgeOnnxExport.ToOnnx(model);
        // After folding: every conv has its weight plus a bias of its output channels; batch norm parameters vanish.
        long floats = 0;
        foreach (var module in model.modules())
        {
            if (module is TorchSharp.Modules.Conv2d conv) floats += conv.weight!.numel() + conv.out_channels;
            else if (module is TorchSharp.Modules.Linear linear) floats += linear.weight!.numel() + linear.out_features;
        }
        output.WriteLine($"resnet18 width 0.5 64px: {onnx.Length} bytes ({onnx.Length / 1048576.0:F2} MiB), {floats} floats = {floats * 4} bytes of weights");
        Assert.InRange(onnx.Length, floats * 4, (floats * 4) + 64 * 1024);
    }

    private void AssertClose(float[] actual, float[] expected, string what, double scaleFloor = 0)
    {
        var (maxAbs, ownScale) = Compare(actual, expected);
        double scale = Math.Max(ownScale, scaleFloor);
        output.WriteLine($"{what}: max |diff| {maxAbs:E2}, output scale {scale:F4}, relative {maxAbs / scale:E2}; torch [{expected.Min():F4}, {expected.Max():F4}]");
        Assert.True(maxAbs <= AbsoluteTolerance, $"{what}: max |diff| {maxAbs:E3} > {AbsoluteTolerance}");
        Assert.True(maxAbs <= RelativeTolerance * scale, $"{what}: max |diff| {maxAbs:E3} > {RelativeTolerance} x scale {scale:F4}");
    }
}
