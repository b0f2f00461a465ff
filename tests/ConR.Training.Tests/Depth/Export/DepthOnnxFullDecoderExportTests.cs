using ConR.Training.Depth.Export;
using ConR.Training.Depth.Models;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace ConR.Training.Tests.Depth.Export;

/// <summary>The ONNX export of the full-resolution decoder against TorchSharp eval mode, run by ONNX Runtime.</summary>
[Collection(SeededTorchRuns.Name)]
public sealed class DepthOnnxFullDecoderExportTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("resnet18", 0.0625, 128, 96, 31)] // ImageNet stem: the stem feature comes before the max-pool; 128x96 as the issue asks
    [InlineData("resnet34", 0.0625, 40, 30, 32)] // strided stem, odd stage sizes
    [InlineData("resnet50", 0.0625, 32, 24, 33)] // small stem (already at full resolution), bottlenecks
    public void Export_MatchesTorchSharp_ForBatch1And4(string architecture, double width, int w, int h, int seed)
    {
        using var model = DepthOnnxExportTests.RandomDepthModel(new DepthModelSpec(architecture, width, w, h, 1.0, DepthDecoders.Full), seed);
        byte[] onnx = DepthOnnxExport.ToOnnx(model);
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(onnx, options);
        Assert.Equal("full", session.ModelMetadata.CustomMetadataMap["decoder"]);
        Assert.Equal([-1, 1, h, w], session.OutputMetadata[DepthOnnxExport.OutputName].Dimensions);
        foreach (int batch in new[] { 4, 1 })
        {
            DepthExportParity.AssertBatchMatches(model, session, batch, (seed * 100) + batch, output, $"{architecture} {w}x{h} full decoder");
        }
    }

    [Fact]
    public void Export_FeedsTheImageToTwoConvolutions_TheStemAndTheFullResolutionStage()
    {
        using var model = DepthOnnxExportTests.RandomDepthModel(new DepthModelSpec("resnet18", 0.0625, 64, 48, 1.0, DepthDecoders.Full), 34);

        var graph = DepthOnnxExport.ToModel(model).Graph;

        var fromImage = graph.Node.Where(n => n.Input.Contains(DepthOnnxExport.InputName)).Select(n => n.OpType).ToList();
        Assert.Equal(["Conv", "Conv"], fromImage);
        Assert.DoesNotContain(graph.Node, n => n.OpType == "BatchNormalization");
        // Channel concatenations (axis 1; the resize shapes concatenate on axis 0): up3, up2, up1, up0, upInput.
        Assert.Equal(5, graph.Node.Count(n => n.OpType == "Concat" && n.Attribute.Single(a => a.Name == "axis").I == 1));
    }
}
