using ConR.Training.Depth.Export;
using ConR.Training.Depth.Models;
using ConR.Training.Tests.Export;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using Xunit.Abstractions;
using static ConR.Training.Tests.Export.ExportTestSupport;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Depth.Export;

/// <summary>The depth ONNX export against TorchSharp eval mode (ONNX Runtime), and against the reference checker.</summary>
[Collection(SeededTorchRuns.Name)]
public sealed class DepthOnnxExportTests(ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";

    [Theory]
    [InlineData("resnet18", 0.125, 64, 48, 0.5, 11)] // ImageNet stem, half-resolution output
    [InlineData("resnet34", 0.0625, 40, 30, 0.25, 12)] // strided stem, odd stage sizes
    [InlineData("resnet50", 0.0625, 32, 24, 1.0, 13)] // small stem, bottlenecks, full resolution
    public void Export_MatchesTorchSharp_ForBatch1And8(string architecture, double width, int w, int h, double fraction, int seed)
    {
        using var model = RandomDepthModel(new DepthModelSpec(architecture, width, w, h, fraction), seed);
        byte[] onnx = DepthOnnxExport.ToOnnx(model);
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(onnx, options);
        foreach (int batch in new[] { 8, 1 })
        {
            DepthExportParity.AssertBatchMatches(model, session, batch, (seed * 100) + batch, output, $"{architecture} {w}x{h} x{fraction}");
        }
    }

    [Fact]
    public void Export_DeclaresDynamicBatchAndMetadata_AndPassesTheReferenceChecker()
    {
        using var model = RandomDepthModel(new DepthModelSpec("resnet18", 0.0625, 32, 24, 0.5), 21);
        byte[] onnx = DepthOnnxExport.ToOnnx(model);
        using (var session = new InferenceSession(onnx))
        {
            var input = session.InputMetadata[DepthOnnxExport.InputName];
            Assert.Equal([-1, 3, 24, 32], input.Dimensions);
            var depth = session.OutputMetadata[DepthOnnxExport.OutputName];
            Assert.Equal([-1, 1, 12, 16], depth.Dimensions);
            Assert.Equal("N", depth.SymbolicDimensions[0]);
            var meta = session.ModelMetadata.CustomMetadataMap;
            Assert.Equal("depth", meta["task"]);
            Assert.Equal("metres", meta["output_unit"]);
            Assert.Equal("0.485,0.456,0.406", meta["input_mean"]);
        }

        var graph = Onnx.ModelProto.Parser.ParseFrom(onnx).Graph;
        Assert.DoesNotContain(graph.Node, n => n.OpType == "BatchNormalization"); // every BN follows a conv and is folded
        Assert.Contains(graph.Node, n => n.OpType == "Resize");
        Assert.Equal("Softplus", graph.Node.Last().OpType);

        var probe = RunProcess(Python, "-c", "import onnx");
        if (probe is not { ExitCode: 0 })
        {
            if (Environment.GetEnvironmentVariable("CONR_SKIP_ONNX_CHECKER") == "1") return;
            Assert.Fail("install python3-onnx (Debian) — .ci/run does");
        }
        using var dir = new TempDir();
        string path = dir.Write("depth.onnx", onnx);
        var result = RunProcess(Python, "-c",
            "import onnx,sys; m=onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); print(m.opset_import[0].version, m.graph.output[0].type.tensor_type.shape.dim[0].dim_param)",
            path)!;
        Assert.True(result.Value.ExitCode == 0, result.Value.Stderr);
        Assert.Equal("17 N", result.Value.Stdout.Trim());
    }

    /// <summary>Random weights with non-trivial batch norms (gamma, beta and running statistics), in eval mode.</summary>
    internal static DepthNet RandomDepthModel(DepthModelSpec spec, int seed)
    {
        torch.random.manual_seed(seed);
        var model = new DepthNet(spec);
        ExportTestSupport.WithRandomBatchNorms(
            model, () => model.InitializeOutputBias(2.5), () => model.forward((randn(8, 3, spec.ImageHeight, spec.ImageWidth) * 0.8) + 0.1));
        return model;
    }
}
