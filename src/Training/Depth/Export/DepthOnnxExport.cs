using System.Globalization;
using ConR.Training.Depth.Data;
using ConR.Training.Depth.Models;
using ConR.Training.Encoder;
using ConR.Training.Export;
using Google.Protobuf;
using Onnx;

namespace ConR.Training.Depth.Export;

/// <summary>
/// Exports a <see cref="DepthNet"/> to ONNX: input <c>image</c> float32 [N, 3, H, W] (RGB, (x/255 − ImageNet mean) /
/// ImageNet std), output <c>depth</c> float32 [N, 1, h, w] in metres, N dynamic. Eval mode, batch norms folded into the
/// convolutions, opset 17. The decoder's upsamplings are ONNX Resize (linear, half_pixel) to the fixed stage sizes of
/// the spec's input, which is PyTorch's bilinear interpolate with align_corners false. Conv weights are stored as
/// <see cref="OnnxWeightStorage"/> says.
/// </summary>
public static class DepthOnnxExport
{
    public const string InputName = OnnxModelNames.ImageInput;
    public const string OutputName = "depth";

    public static byte[] ToOnnx(DepthNet model, OnnxWeightStorage weights = OnnxWeightStorage.Float32) => ToModel(model, weights).ToByteArray();

    public static ModelProto ToModel(DepthNet model, OnnxWeightStorage weights = OnnxWeightStorage.Float32) => Build(model, weights, roundModel: false);

    /// <summary>
    /// Rounds <paramref name="model"/>'s weights in place to what an export with <paramref name="weights"/> stores, so
    /// the model then computes what the graph stores. Float32: no change.
    /// </summary>
    public static void RoundToStoredWeights(DepthNet model, OnnxWeightStorage weights)
    {
        if (weights != OnnxWeightStorage.Float32)
            Build(model, weights, roundModel: true);
    }

    private static ModelProto Build(DepthNet model, OnnxWeightStorage weights, bool roundModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        var spec = model.Spec;
        var builder = new OnnxGraphBuilder("conr_depth_" + spec.Architecture.ToLowerInvariant());
        var batch = OnnxDim.Symbolic(OnnxModelNames.BatchDimension);
        string image = builder.AddInput(InputName, batch, OnnxDim.Fixed(3), OnnxDim.Fixed(spec.ImageHeight), OnnxDim.Fixed(spec.ImageWidth));
        var exporter = new ModuleOnnxExporter(builder, weights, roundModel);
        if (spec.IsFullDecoder)
        {
            var pyramid = model.PyramidSizes();
            exporter.Register<DepthNet>((e, m, x) => EmitFullDecoderDepthNet(e, m, x, pyramid));
        }
        else
        {
            var sizes = model.StageSizes();
            exporter.Register<DepthNet>((e, m, x) => EmitDepthNet(e, m, x, sizes));
        }
        string depth = exporter.Emit(model, image);
        builder.AddOutput(depth, OutputName, batch, OnnxDim.Fixed(1), OnnxDim.Fixed(spec.OutputHeight), OnnxDim.Fixed(spec.OutputWidth));
        return builder.BuildModel(OnnxModelNames.Producer, OnnxModelNames.ProducerVersion(),
            "ConR depth encoder-decoder (eval mode, batch norm folded), output in metres", Metadata(spec, weights));
    }

    /// <summary>The metadata_props written into the model.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Metadata(DepthModelSpec spec, OnnxWeightStorage weights = OnnxWeightStorage.Float32)
    {
        ArgumentNullException.ThrowIfNull(spec);
        static string Join(IEnumerable<float> values) => string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        return
        [
            new("task", DepthModelSpec.Task),
            new("architecture", spec.Architecture),
            new("width", spec.Width.ToString("R", CultureInfo.InvariantCulture)),
            new("decoder", DepthDecoders.Parse(spec.Decoder)),
            new("image_width", spec.ImageWidth.ToString(CultureInfo.InvariantCulture)),
            new("image_height", spec.ImageHeight.ToString(CultureInfo.InvariantCulture)),
            new("output_width", spec.OutputWidth.ToString(CultureInfo.InvariantCulture)),
            new("output_height", spec.OutputHeight.ToString(CultureInfo.InvariantCulture)),
            new("input", InputName),
            new("output", OutputName),
            new("input_layout", "NCHW RGB float32, (x / 255 - mean) / std"),
            new("input_mean", Join(DepthAugmenter.ImageNetMean)),
            new("input_std", Join(DepthAugmenter.ImageNetStd)),
            new("output_unit", "metres"),
            new("output_activation", "softplus"),
            new("weight_storage", OnnxWeightStorageNames.ElementType(weights)),
        ];
    }

    // Mirrors DepthNet.forward: stages, three (upsample to skip, concat, conv-bn-relu), upsample to the output size,
    // refine (conv-bn-relu: the ConR feature), head conv, softplus.
    private static string EmitDepthNet(ModuleOnnxExporter e, DepthNet model, string input, (long H, long W)[] sizes)
    {
        var c = e.Children(model, ["encoder", "up3", "up2", "up1", "refine", "head"], []);
        var stages = e.EmitEncoderStages((ResNetEncoder)c["encoder"], input);
        var b = e.Builder;
        string x = stages[3];
        foreach (var (name, skip) in new[] { ("up3", 2), ("up2", 1), ("up1", 0) })
        {
            string up = Upsample(b, x, sizes[skip + 1], sizes[skip], e.Hint(name + ".resize"));
            string joined = b.Concat(1, [up, stages[skip]], e.Hint(name + ".concat"));
            x = e.Emit(c[name], joined, name);
        }
        var spec = model.Spec;
        x = Upsample(b, x, sizes[0], (spec.OutputHeight, spec.OutputWidth), e.Hint("output.resize"));
        x = e.Emit(c["refine"], x, "refine");
        x = e.Emit(c["head"], x, "head");
        return b.Softplus(x, "depth_softplus");
    }

    // Mirrors DepthNet.forward with the full decoder: the stem feature and four stages, four (upsample to skip, concat,
    // conv-bn-relu) down to stride 2, the image's own conv-bn-relu joined at full resolution, refine, head, softplus.
    private static string EmitFullDecoderDepthNet(ModuleOnnxExporter e, DepthNet model, string input, (long H, long W)[] sizes)
    {
        var c = e.Children(model, ["encoder", "up3", "up2", "up1", "up0", "inputConv", "upInput", "refine", "head"], []);
        var pyramid = e.EmitEncoderPyramid((ResNetEncoder)c["encoder"], input);
        var b = e.Builder;
        string x = pyramid[4];
        foreach (var (name, skip) in new[] { ("up3", 3), ("up2", 2), ("up1", 1), ("up0", 0) })
        {
            string up = Upsample(b, x, sizes[skip + 1], sizes[skip], e.Hint(name + ".resize"));
            string joined = b.Concat(1, [up, pyramid[skip]], e.Hint(name + ".concat"));
            x = e.Emit(c[name], joined, name);
        }
        var spec = model.Spec;
        string image = e.Emit(c["inputConv"], input, "inputConv");
        string full = Upsample(b, x, sizes[0], (spec.ImageHeight, spec.ImageWidth), e.Hint("upInput.resize"));
        x = e.Emit(c["upInput"], b.Concat(1, [full, image], e.Hint("upInput.concat")), "upInput");
        x = e.Emit(c["refine"], x, "refine");
        x = e.Emit(c["head"], x, "head");
        return b.Softplus(x, "depth_softplus");
    }

    private static string Upsample(OnnxGraphBuilder builder, string x, (long H, long W) from, (long H, long W) to, string hint) =>
        from == to ? x : builder.ResizeToSize(x, to.H, to.W, ResizeCoordinates.HalfPixel, hint);
}
