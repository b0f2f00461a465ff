using ConR.Training.Age.Export;
using ConR.Training.Export;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using static ConR.Training.Tests.Export.ExportTestSupport;

namespace ConR.Training.Tests.Export;

/// <summary>The exported model against the ONNX reference checker (python3-onnx) and ORT's view of its signature.</summary>
[Collection(SeededTorchRuns.Name)]
public sealed class OnnxModelCheckTests
{
    private const string Python = "/usr/bin/python3";
    private const string MissingChecker = "install python3-onnx (Debian) — .ci/run does";

    // Prints the opset and the first dimension of the first input and output (a name when it is symbolic).
    private const string CheckScript =
        "import onnx,sys; m=onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); "
        + "print(m.opset_import[0].version, m.ir_version, m.graph.input[0].type.tensor_type.shape.dim[0].dim_param or '-', "
        + "m.graph.output[0].type.tensor_type.shape.dim[0].dim_param or '-')";

    [Fact]
    public void ReferenceChecker_AcceptsTheAgeModel_Opset17WithADynamicBatch()
    {
        if (!CheckerAvailable()) return;
        using var model = RandomAgeModel("resnet50", 0.125, 32, 41);
        Assert.Equal("17 8 N N", Check(AgeOnnxExport.ToOnnx(model)));
    }

    [Fact]
    public void ReferenceChecker_AcceptsTheFloat16WeightAgeModel()
    {
        if (!CheckerAvailable()) return;
        using var model = RandomAgeModel("resnet34", 0.0625, 16, 43);
        Assert.Equal("17 8 N N", Check(AgeOnnxExport.ToOnnx(model, OnnxWeightStorage.Float16)));
    }

    [Fact]
    public void ReferenceChecker_AcceptsTheDecoderOperators()
    {
        if (!CheckerAvailable()) return;
        var n = OnnxDim.Symbolic("N");
        var builder = new OnnxGraphBuilder("ops");
        string x = builder.AddInput("x", n, OnnxDim.Fixed(2), OnnxDim.Fixed(4), OnnxDim.Fixed(4));
        string up = builder.Resize(x, 2, 2);
        string sized = builder.ResizeToSize(x, 8, 8, ResizeCoordinates.AlignCorners);
        string cat = builder.Concat(1, [up, sized]);
        string w = builder.AddInitializer("w", new float[4 * 3 * 3], 1, 4, 3, 3);
        string conv = builder.Conv(cat, w, null, [3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 1);
        string pooled = builder.MaxPool(builder.Relu(conv), [3, 3], [2, 2], [1, 1, 1, 1], [1, 1], false);
        string depth = builder.Mul(builder.Sigmoid(pooled), builder.Softplus(pooled));
        builder.AddOutput(depth, "depth", n, OnnxDim.Fixed(1), OnnxDim.Fixed(4), OnnxDim.Fixed(4));
        string flat = builder.Flatten(builder.GlobalAveragePool(builder.Add(pooled, pooled)));
        string g = builder.AddInitializer("g", [0.5f], 1, 1);
        builder.AddOutput(builder.Gemm(flat, g, null), "score", n, OnnxDim.Fixed(1));
        Assert.Equal("17 8 N N", Check(builder.BuildModel("test", "0", "", []).ToByteArray()));
    }

    [Fact]
    public void OnnxRuntime_SeesADynamicBatchAndTheMetadata()
    {
        using var model = RandomAgeModel("resnet34", 0.0625, 16, 42);
        using var session = new InferenceSession(AgeOnnxExport.ToOnnx(model));
        var input = session.InputMetadata[AgeOnnxExport.InputName];
        Assert.Equal([-1, 3, 16, 16], input.Dimensions);
        Assert.Equal(OnnxModelNames.BatchDimension, input.SymbolicDimensions[0]);
        Assert.Equal(typeof(float), input.ElementType);
        var output = session.OutputMetadata[AgeOnnxExport.OutputName];
        Assert.Equal([-1, 1], output.Dimensions);
        Assert.Equal(OnnxModelNames.BatchDimension, output.SymbolicDimensions[0]);
        Assert.Equal(OnnxModelNames.Producer, session.ModelMetadata.ProducerName);
        var meta = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("age", meta["task"]);
        Assert.Equal("resnet34", meta["architecture"]);
        Assert.Equal("0.0625", meta["width"]);
        Assert.Equal("16", meta["image_size"]);
        Assert.Equal("0.5,0.5,0.5", meta["input_mean"]);
    }

    private static string Check(byte[] onnx)
    {
        using var dir = new TempDir();
        string path = dir.Write("model.onnx", onnx);
        var result = RunProcess(Python, "-c", CheckScript, path) ?? throw new InvalidOperationException($"{Python} did not start");
        Assert.True(result.ExitCode == 0, $"onnx.checker failed ({result.ExitCode}): {result.Stderr}");
        return result.Stdout.Trim();
    }

    // False (the test returns early) only when python3-onnx is missing and CONR_SKIP_ONNX_CHECKER=1.
    private static bool CheckerAvailable()
    {
        var probe = RunProcess(Python, "-c", "import onnx");
        if (probe is { ExitCode: 0 }) return true;
        if (Environment.GetEnvironmentVariable("CONR_SKIP_ONNX_CHECKER") == "1") return false;
        Assert.Fail(MissingChecker);
        return false;
    }
}
