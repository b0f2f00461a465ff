using ConR.Training.Age.Export;
using ConR.Training.Depth.Export;
using ConR.Training.Depth.Models;
using ConR.Training.Export;
using ConR.Training.Tests.Depth.Export;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Xunit.Abstractions;
using static ConR.Training.Tests.Export.ExportTestSupport;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using DataType = Onnx.TensorProto.Types.DataType;

namespace ConR.Training.Tests.Export;

/// <summary>Exports with float16 weight storage: file size, initializer types, and ONNX Runtime against TorchSharp.</summary>
[Collection(SeededTorchRuns.Name)]
public sealed class Float16WeightExportTests(ITestOutputHelper output)
{
    // As AgeOnnxExportParityTests: against the rounded model only float32 arithmetic differs.
    private const double AbsoluteTolerance = 1e-3;
    private const double RelativeTolerance = 1e-4;

    // float16 keeps 11 significant bits, so each stored weight is within 2^-11 (relative) of its float32 value.
    private static readonly double HalfRoundoff = Math.Pow(2, -11);

    [Fact]
    public void Fp16Export_ResNet18Width05At64_IsAboutHalfTheFp32File()
    {
        using var model = RandomAgeModel("resnet18", 0.5, 64, 51);

        byte[] fp32 = AgeOnnxExport.ToOnnx(model);
        byte[] fp16 = AgeOnnxExport.ToOnnx(model, OnnxWeightStorage.Float16);

        double ratio = fp16.Length / (double)fp32.Length;
        output.WriteLine($"fp32 {fp32.Length} bytes, fp16 {fp16.Length} bytes, ratio {ratio:F3}");
        // Weights are 2 bytes instead of 4; biases (float32) and the graph are the small rest.
        Assert.InRange(ratio, 0.45, 0.55);
    }

    [Theory]
    [InlineData("resnet18", 0.25, 64, 11)]
    [InlineData("resnet50", 0.125, 32, 12)]
    [InlineData("resnet34", 0.0625, 16, 13)]
    public void Fp16Export_MatchesTheRoundedModelTightly_AndTheFp32ModelWithinHalfPrecision(string architecture, double width, int size, int seed)
    {
        using var model = RandomAgeModel(architecture, width, size, seed);
        byte[] onnx = AgeOnnxExport.ToOnnx(model, OnnxWeightStorage.Float16);
        const int batch = 8;
        long[] shape = [batch, 3, size, size];
        var input = RandomInput(batch * 3 * size * size, (seed * 100) + batch);
        var fp32 = TorchPredict(model, input, shape);

        AgeOnnxExport.RoundToStoredWeights(model, OnnxWeightStorage.Float16);
        var rounded = TorchPredict(model, input, shape);
        var (actual, _) = RunOnnx(onnx, AgeOnnxExport.InputName, input, shape, AgeOnnxExport.OutputName);

        double scale = fp32.Max(Math.Abs);
        double tight = Compare(actual, rounded).MaxAbs, loose = Compare(actual, fp32).MaxAbs, roundingEffect = Compare(rounded, fp32).MaxAbs;
        // First-order worst case: every weighted layer on the path adds up to 2^-11 of the output scale, all with one sign.
        int layers = model.modules().Count(m => m is TorchSharp.Modules.Conv2d or TorchSharp.Modules.Linear);
        double looseTolerance = layers * HalfRoundoff * scale;
        output.WriteLine($"{architecture} w{width} {size}px: scale {scale:F4}; vs rounded {tight:E2}, vs fp32 {loose:E2} " +
                         $"(relative {loose / scale:E2}; tolerance {looseTolerance:E2}, relative {layers * HalfRoundoff:E2} for {layers} layers)");
        Assert.True(tight <= AbsoluteTolerance && tight <= RelativeTolerance * scale, $"vs the rounded model: {tight:E3}");
        Assert.True(loose <= looseTolerance, $"vs the fp32 model: {loose:E3} > {looseTolerance:E3}");
        Assert.True(roundingEffect > 0, "rounding changed nothing: the fp32 comparison would prove nothing");
        // The rounded model exports to the very same file: a card measured on it describes the shipped graph.
        Assert.Equal(onnx, AgeOnnxExport.ToOnnx(model, OnnxWeightStorage.Float16));
    }

    [Fact]
    public void Fp16Graph_StoresEveryConvAndGemmWeightAsFloat16_AndTheBiasesAsFloat()
    {
        using var model = RandomAgeModel("resnet18", 0.125, 32, 52);
        var graph = AgeOnnxExport.ToModel(model, OnnxWeightStorage.Float16).Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (Output: o, Node: n))).ToDictionary(p => p.Output, p => p.Node, StringComparer.Ordinal);

        var weighted = graph.Node.Where(n => n.OpType is "Conv" or "Gemm").ToList();
        foreach (var node in weighted)
        {
            var stored = StoredWeight(producers[node.Input[1]], initializers);
            Assert.True(stored.Dims.Count >= 2, $"{stored.Name} has rank {stored.Dims.Count}");
            Assert.Equal(node.Input[1], stored.Name.Replace(".fp16", "", StringComparison.Ordinal));
            Assert.Equal((int)DataType.Float, initializers[node.Input[2]].DataType);
        }
        Assert.Equal(model.modules().Count(m => m is TorchSharp.Modules.Conv2d or TorchSharp.Modules.Linear), weighted.Count);
        Assert.Equal(weighted.Count, graph.Initializer.Count(i => i.DataType == (int)DataType.Float16));
        Assert.All(graph.Initializer.Where(i => i.DataType != (int)DataType.Float16), i =>
        {
            Assert.Equal((int)DataType.Float, i.DataType);
            Assert.Single(i.Dims);
        });
    }

    [Fact]
    public void Fp16Graph_KeepsAStandaloneBatchNormInFloat_AndMatchesTheRoundedModule()
    {
        random.manual_seed(53);
        using var net = Sequential(("conv", Conv2d(3, 4, 3, padding: 1)), ("relu", ReLU()), ("bn", BatchNorm2d(4)));
        using (var setup = NewDisposeScope())
        using (var noGrad = no_grad())
        {
            net.train();
            net.forward((randn(8, 3, 6, 6) * 0.8) + 0.1); // running statistics that are not 0 and 1
        }
        net.eval();
        var builder = new OnnxGraphBuilder("bn");
        var n = OnnxDim.Symbolic("N");
        string x = builder.AddInput("x", n, OnnxDim.Fixed(3), OnnxDim.Fixed(6), OnnxDim.Fixed(6));
        string y = new ModuleOnnxExporter(builder, OnnxWeightStorage.Float16, roundModules: true).Emit(net, x);
        builder.AddOutput(y, "y", n, OnnxDim.Fixed(4), OnnxDim.Fixed(6), OnnxDim.Fixed(6));
        var graph = builder.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);

        var bn = graph.Node.Single(node => node.OpType == "BatchNormalization");
        Assert.All(bn.Input.Skip(1), name => Assert.Equal((int)DataType.Float, initializers[name].DataType));
        var conv = graph.Node.Single(node => node.OpType == "Conv");
        StoredWeight(graph.Node.Single(node => node.Output.Contains(conv.Input[1])), initializers);

        var input = RandomInput(2 * 3 * 6 * 6, 54);
        float[] expected;
        using (var scope = NewDisposeScope())
        using (var noGrad = no_grad())
        {
            expected = net.forward(tensor(input, [2, 3, 6, 6])).contiguous().data<float>().ToArray();
        }
        var (actual, _) = RunOnnx(builder.BuildModel("test", "0", "", []).ToByteArray(), "x", input, [2, 3, 6, 6], "y");
        Assert.True(Compare(actual, expected).MaxAbs <= 1e-5, "the module rounded by the exporter computes what the graph stores");
    }

    [Fact]
    public void OnnxRuntime_FoldsTheCastsAtSessionCreation()
    {
        using var model = RandomAgeModel("resnet34", 0.0625, 16, 55);
        using var dir = new TempDir();
        string optimized = Path.Combine(dir.Path, "optimized.onnx");
        // Constant folding is a basic-level optimization, so every level the API may use includes it.
        using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC, OptimizedModelFilePath = optimized })
        using (var session = new InferenceSession(AgeOnnxExport.ToOnnx(model, OnnxWeightStorage.Float16), options))
        {
            Assert.Equal(typeof(float), session.InputMetadata[AgeOnnxExport.InputName].ElementType);
            Assert.Equal("float16", session.ModelMetadata.CustomMetadataMap["weight_storage"]);
        }
        var graph = ModelProto.Parser.ParseFrom(File.ReadAllBytes(optimized)).Graph;
        Assert.DoesNotContain(graph.Node, node => node.OpType == "Cast");
        Assert.DoesNotContain(graph.Initializer, i => i.DataType == (int)DataType.Float16);
    }

    [Fact]
    public void DepthFp16Export_MatchesTheRoundedModel()
    {
        using var model = DepthOnnxExportTests.RandomDepthModel(new DepthModelSpec("resnet18", 0.0625, 32, 24, 0.5), 56);
        byte[] onnx = DepthOnnxExport.ToOnnx(model, OnnxWeightStorage.Float16);
        DepthOnnxExport.RoundToStoredWeights(model, OnnxWeightStorage.Float16);
        long[] shape = [2, 3, 24, 32];
        var input = RandomInput(2 * 3 * 24 * 32, 57);
        float[] expected;
        using (var scope = NewDisposeScope())
        using (var noGrad = no_grad())
        {
            expected = model.forward(tensor(input, shape)).Depth.contiguous().data<float>().ToArray();
        }
        var (actual, _) = RunOnnx(onnx, DepthOnnxExport.InputName, input, shape, DepthOnnxExport.OutputName);
        var (maxAbs, scale) = Compare(actual, expected);
        output.WriteLine($"depth fp16: max |diff| {maxAbs:E2}, scale {scale:F3}");
        Assert.True(maxAbs <= AbsoluteTolerance && maxAbs <= RelativeTolerance * scale, $"max |diff| {maxAbs:E3}");
        Assert.Equal(onnx, DepthOnnxExport.ToOnnx(model, OnnxWeightStorage.Float16));
    }

    // The float16 initializer behind a Cast(to: FLOAT) node.
    private static TensorProto StoredWeight(NodeProto cast, Dictionary<string, TensorProto> initializers)
    {
        Assert.Equal("Cast", cast.OpType);
        Assert.Equal((long)DataType.Float, cast.Attribute.Single(a => a.Name == "to").I);
        var stored = initializers[cast.Input.Single()];
        Assert.Equal((int)DataType.Float16, stored.DataType);
        Assert.Equal(2 * stored.Dims.Aggregate(1L, (a, b) => a * b), stored.RawData.Length);
        return stored;
    }
}
