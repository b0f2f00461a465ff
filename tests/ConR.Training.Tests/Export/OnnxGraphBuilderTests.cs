using ConR.Training.Export;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using static ConR.Training.Tests.Export.ExportTestSupport;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ConR.Training.Tests.Export;

public sealed class OnnxGraphBuilderTests
{
    [Fact]
    public void UniqueName_NeverRepeatsAndSanitizes()
    {
        var builder = new OnnxGraphBuilder("g");
        Assert.Equal("a.b", builder.UniqueName("a.b"));
        Assert.Equal("a.b_1", builder.UniqueName("a.b"));
        Assert.Equal("a.b_2", builder.UniqueName("a.b"));
        Assert.Equal("x_y", builder.UniqueName("x y"));
        Assert.Equal("a.b_1_1", builder.UniqueName("a.b_1"));
        Assert.Throws<ArgumentException>(() => builder.AddInput("a.b"));
    }

    [Fact]
    public void AddInitializer_RejectsAValueCountThatDoesNotMatchTheDims()
    {
        var builder = new OnnxGraphBuilder("g");
        Assert.Throws<ArgumentException>(() => builder.AddInitializer("w", new float[5], 2, 3));
        string name = builder.AddInitializer("w", new float[6], 2, 3);
        Assert.Equal(24, builder.Graph.Initializer.Single(i => i.Name == name).RawData.Length);
    }

    /// <summary>The operators the depth decoder will use, against the TorchSharp functions it will call.</summary>
    [Fact]
    public void DecoderOperators_MatchTorchSharp_WithADynamicBatch()
    {
        var n = OnnxDim.Symbolic("N");
        var builder = new OnnxGraphBuilder("decoder_ops");
        string x = builder.AddInput("x", n, OnnxDim.Fixed(3), OnnxDim.Fixed(5), OnnxDim.Fixed(7));
        string y = builder.AddInput("y", n, OnnxDim.Fixed(2), OnnxDim.Fixed(10), OnnxDim.Fixed(14));
        string up = builder.Resize(x, 2, 2);
        builder.AddOutput(up, "up", n, OnnxDim.Fixed(3), OnnxDim.Fixed(10), OnnxDim.Fixed(14));
        builder.AddOutput(builder.ResizeToSize(x, 9, 13), "up_sized", n, OnnxDim.Fixed(3), OnnxDim.Fixed(9), OnnxDim.Fixed(13));
        builder.AddOutput(builder.Resize(x, 2, 2, ResizeCoordinates.AlignCorners), "up_aligned", n, OnnxDim.Fixed(3), OnnxDim.Fixed(10), OnnxDim.Fixed(14));
        string joined = builder.Concat(1, ["up", y]);
        string product = builder.Mul(builder.Sigmoid(joined), builder.Softplus(joined));
        builder.AddOutput(product, "product", n, OnnxDim.Fixed(5), OnnxDim.Fixed(10), OnnxDim.Fixed(14));
        byte[] onnx = builder.BuildModel("test", "0", "", []).ToByteArray();

        const int batch = 3;
        var xs = RandomInput(batch * 3 * 5 * 7, 1).Select(v => v * 3).ToArray();
        var ys = RandomInput(batch * 2 * 10 * 14, 2).Select(v => v * 25).ToArray(); // softplus past its threshold of 20
        using var session = new InferenceSession(onnx);
        using var runOptions = new RunOptions();
        using var xv = OrtValue.CreateTensorValueFromMemory(xs, [batch, 3, 5, 7]);
        using var yv = OrtValue.CreateTensorValueFromMemory(ys, [batch, 2, 10, 14]);
        string[] names = ["up", "up_sized", "up_aligned", "product"];
        using var outputs = session.Run(runOptions, ["x", "y"], [xv, yv], names);

        using var scope = NewDisposeScope();
        var tx = tensor(xs, [batch, 3, 5, 7]);
        var ty = tensor(ys, [batch, 2, 10, 14]);
        var tUp = functional.interpolate(tx, scale_factor: [2.0, 2.0], mode: InterpolationMode.Bilinear, align_corners: false);
        var tSized = functional.interpolate(tx, size: [9, 13], mode: InterpolationMode.Bilinear, align_corners: false);
        var tAligned = functional.interpolate(tx, scale_factor: [2.0, 2.0], mode: InterpolationMode.Bilinear, align_corners: true);
        var tCat = cat([tUp, ty], 1);
        var tProduct = tCat.sigmoid() * functional.softplus(tCat);
        Tensor[] expected = [tUp, tSized, tAligned, tProduct];
        for (int i = 0; i < names.Length; i++)
        {
            Assert.Equal(expected[i].shape, outputs[i].GetTensorTypeAndShape().Shape);
            var (maxAbs, scale) = Compare(outputs[i].GetTensorDataAsSpan<float>().ToArray(), expected[i].contiguous().data<float>().ToArray());
            Assert.True(maxAbs <= 1e-5 * Math.Max(1, scale), $"{names[i]}: max |diff| {maxAbs:E3}");
        }
    }

    [Fact]
    public void AddOutput_OfAGraphInput_AddsAnIdentity()
    {
        var builder = new OnnxGraphBuilder("g");
        string x = builder.AddInput("x", OnnxDim.Symbolic("N"), OnnxDim.Fixed(2));
        builder.AddOutput(x, "y", OnnxDim.Symbolic("N"), OnnxDim.Fixed(2));
        var (values, shape) = RunOnnx(builder.BuildModel("t", "0", "", []).ToByteArray(), "x", [1f, 2f, 3f, 4f], [2, 2], "y");
        Assert.Equal([1f, 2f, 3f, 4f], values);
        Assert.Equal([2L, 2L], shape);
    }
}
