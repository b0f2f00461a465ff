using System.Globalization;
using ConR.Training.Encoder;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ConR.Training.Export;

/// <summary>Emits the ONNX nodes of one module kind: takes the input value's name, returns the output value's name.</summary>
public delegate string OnnxModuleEmitter<in TModule>(ModuleOnnxExporter exporter, TModule module, string input)
    where TModule : Module;

/// <summary>
/// Walks TorchSharp modules and emits their eval-mode computation into an <see cref="OnnxGraphBuilder"/>.
/// </summary>
/// <remarks>
/// <para>Emitters are registered per module type (the most derived registered type wins); the built-ins cover
/// Conv2d, BatchNorm2d, ReLU, MaxPool2d, Linear, Sequential, <see cref="BasicBlock"/>, <see cref="BottleneckBlock"/>,
/// and <see cref="ResNetEncoder"/>. A model built on the encoder registers its own module with <see cref="Register{TModule}"/>
/// (the age regressor: encoder, pool, linear; the depth U-Net, which calls <see cref="EmitEncoderStages"/> for the skip connections).</para>
/// <para>Module hyper-parameters come from TorchSharp 0.107's public properties (Conv2d <c>kernel_size</c>, <c>stride</c>,
/// <c>padding</c>, <c>dilation</c>, <c>groups</c>; MaxPool2d likewise plus <c>ceil_mode</c>; BatchNorm2d <c>eps</c>,
/// <c>running_mean</c>, <c>running_var</c>), submodules from <c>named_children()</c>, whose names are the field names.
/// A residual block's wiring is code (its forward), so the block emitters mirror it and check the child names, so
/// an added or renamed submodule fails the export instead of being silently dropped.</para>
/// <para>A BatchNorm2d that directly follows a Conv2d (in a Sequential or a block) is folded into it with the running
/// statistics: <c>W' = W * g</c>, <c>b' = (b - mean) * g + beta</c>, <c>g = gamma / sqrt(var + eps)</c>, computed in
/// double precision. The export is always eval-mode, whatever the modules' training flag.</para>
/// <para>Names: values and initializers carry the module path (<c>encoder.layer1.block0.conv1.weight</c>).</para>
/// <para>Conv and Linear weights (after folding) are stored as <see cref="Weights"/> says; with
/// <see cref="OnnxWeightStorage.Float16"/> each is rounded to float16 and cast back to float32 in the graph. With
/// <see cref="RoundsModules"/> the rounded weights are also written back into the modules, unfolded
/// (<c>W = round(W * g) / g</c>), so TorchSharp then computes what the graph stores.</para>
/// </remarks>
public sealed class ModuleOnnxExporter
{
    private readonly Dictionary<Type, Func<ModuleOnnxExporter, Module, string, string>> emitters = [];
    private readonly List<string> scope = [];

    public ModuleOnnxExporter(OnnxGraphBuilder builder, OnnxWeightStorage weights = OnnxWeightStorage.Float32, bool roundModules = false)
    {
        Builder = builder ?? throw new ArgumentNullException(nameof(builder));
        Weights = weights;
        RoundsModules = roundModules;
        Register<Conv2d>((e, m, x) => e.EmitConv(m, null, x));
        Register<BatchNorm2d>((e, m, x) => e.EmitBatchNorm(m, x));
        Register<ReLU>((e, _, x) => e.Builder.Relu(x, e.Hint("relu")));
        Register<MaxPool2d>((e, m, x) => e.EmitMaxPool(m, x));
        Register<Linear>((e, m, x) => e.EmitLinear(m, x));
        Register<Sequential>((e, m, x) => e.EmitSequence(m.named_children(), x));
        Register<BasicBlock>((e, m, x) => e.EmitBasicBlock(m, x));
        Register<BottleneckBlock>((e, m, x) => e.EmitBottleneckBlock(m, x));
        Register<ResNetEncoder>((e, m, x) => e.EmitEncoderStages(m, x)[3]);
    }

    public OnnxGraphBuilder Builder { get; }

    /// <summary>How Conv and Linear weights are stored in the graph.</summary>
    public OnnxWeightStorage Weights { get; }

    /// <summary>Whether weights rounded for storage are also written back into the modules they came from.</summary>
    public bool RoundsModules { get; }

    /// <summary>Registers (or replaces) the emitter of a module type; returns this exporter.</summary>
    public ModuleOnnxExporter Register<TModule>(OnnxModuleEmitter<TModule> emitter)
        where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(emitter);
        emitters[typeof(TModule)] = (e, m, x) => emitter(e, (TModule)m, x);
        return this;
    }

    /// <summary>
    /// Emits <paramref name="module"/> applied to the value <paramref name="input"/>, under the name scope
    /// <paramref name="name"/> (a child's field name; null keeps the current scope). Returns the output value.
    /// </summary>
    public string Emit(Module module, string input, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        if (name is not null) scope.Add(name);
        try
        {
            for (var type = module.GetType(); type is not null; type = type.BaseType)
            {
                if (emitters.TryGetValue(type, out var emit))
                    return emit(this, module, input);
            }
            throw new NotSupportedException($"ONNX export has no emitter for {module.GetType().Name} at '{Path}'; register one with ModuleOnnxExporter.Register.");
        }
        finally
        {
            if (name is not null) scope.RemoveAt(scope.Count - 1);
        }
    }

    /// <summary>The current module path, dot-separated (empty at the root).</summary>
    public string Path => string.Join('.', scope);

    /// <summary>A name hint under the current module path: <c>path.leaf</c>.</summary>
    public string Hint(string leaf) => scope.Count == 0 ? leaf : Path + "." + leaf;

    /// <summary>
    /// Emits a chain of children in order, folding each BatchNorm2d into the Conv2d right before it
    /// (the Sequential emitter; usable for any ordered list of named children).
    /// </summary>
    public string EmitSequence(IEnumerable<(string Name, Module Module)> children, string input)
    {
        ArgumentNullException.ThrowIfNull(children);
        var list = children.ToList();
        string x = input;
        for (int i = 0; i < list.Count; i++)
        {
            var (name, module) = list[i];
            if (module is Conv2d conv && i + 1 < list.Count && list[i + 1].Module is BatchNorm2d bn)
            {
                x = WithScope(name, () => EmitConv(conv, bn, x));
                i++;
            }
            else
            {
                x = Emit(module, x, name);
            }
        }
        return x;
    }

    /// <summary>
    /// A Conv2d, optionally with the BatchNorm2d that follows it folded in, as one ONNX Conv. Emitted under the current scope
    /// (the conv's own name should already be pushed).
    /// </summary>
    public string EmitConv(Conv2d conv, BatchNorm2d? batchNorm, string input)
    {
        ArgumentNullException.ThrowIfNull(conv);
        if (conv.transposed) throw new NotSupportedException($"transposed Conv2d at '{Path}' is not supported");
        if (conv.padding_mode != PaddingModes.Zeros) throw new NotSupportedException($"Conv2d padding mode {conv.padding_mode} at '{Path}' is not supported (zeros only)");
        long[] kernel = Pair(conv.kernel_size, 1, "kernel_size");
        long[] stride = Pair(conv.stride, 1, "stride");
        long[] dilation = Pair(conv.dilation, 1, "dilation");
        long[] pads = ConvPads(conv, kernel, dilation);
        long outChannels = conv.out_channels;

        var weightParameter = conv.weight ?? throw new InvalidOperationException($"Conv2d at '{Path}' has no weight");
        var weight = ToDoubles(weightParameter, out long[] weightShape);
        var bias = conv.bias is null ? new double[outChannels] : ToDoubles(conv.bias, out _);
        if (weightShape.Length != 4 || weightShape[0] != outChannels)
            throw new InvalidOperationException($"Conv2d at '{Path}' has weight shape [{string.Join(", ", weightShape)}]");

        double[]? scale = null;
        if (batchNorm is not null)
        {
            (scale, var shift) = FoldedBatchNorm(batchNorm, outChannels);
            long perChannel = weight.Length / outChannels;
            for (long o = 0; o < outChannels; o++)
            {
                for (long k = 0; k < perChannel; k++)
                    weight[(o * perChannel) + k] *= scale[o];
                bias[o] = (bias[o] * scale[o]) + shift[o];
            }
        }

        bool hasBias = batchNorm is not null || conv.bias is not null;
        string w = AddWeight(Hint("weight"), ToFloats(weight), weightShape, weightParameter, scale);
        string? b = hasBias ? Builder.AddInitializer(Hint("bias"), ToFloats(bias), outChannels) : null;
        return Builder.Conv(input, w, b, kernel, stride, pads, dilation, conv.groups, Hint(batchNorm is null ? "conv" : "conv_bn"));
    }

    /// <summary>A BatchNorm2d on its own (not after a Conv2d): an ONNX BatchNormalization with the running statistics.</summary>
    public string EmitBatchNorm(BatchNorm2d bn, string input)
    {
        ArgumentNullException.ThrowIfNull(bn);
        var (scale, shift) = FoldedBatchNorm(bn, bn.num_features);
        // Already folded to y = scale * x + shift; expressed as BatchNormalization(mean 0, var 1, eps 0).
        long c = bn.num_features;
        string s = Builder.AddInitializer(Hint("scale"), ToFloats(scale), c);
        string b = Builder.AddInitializer(Hint("shift"), ToFloats(shift), c);
        string mean = Builder.AddInitializer(Hint("zero_mean"), new float[c], c);
        string variance = Builder.AddInitializer(Hint("unit_var"), Enumerable.Repeat(1f, (int)c).ToArray(), c);
        return Builder.BatchNormalization(input, s, b, mean, variance, 0f, Hint("bn"));
    }

    public string EmitMaxPool(MaxPool2d pool, string input)
    {
        ArgumentNullException.ThrowIfNull(pool);
        long[] kernel = Pair(pool.kernel_size, 1, "kernel_size");
        long[] stride = pool.stride is null || pool.stride.Length == 0 ? kernel : Pair(pool.stride, 1, "stride");
        long[] padding = Pair(pool.padding, 0, "padding");
        long[] dilation = Pair(pool.dilation, 1, "dilation");
        return Builder.MaxPool(input, kernel, stride, [padding[0], padding[1], padding[0], padding[1]], dilation, pool.ceil_mode, Hint("maxpool"));
    }

    /// <summary>A Linear on a 2-D [N, in] value: Gemm with the [out, in] weight transposed.</summary>
    public string EmitLinear(Linear linear, string input)
    {
        ArgumentNullException.ThrowIfNull(linear);
        var weightParameter = linear.weight ?? throw new InvalidOperationException($"Linear at '{Path}' has no weight");
        var weight = ToDoubles(weightParameter, out long[] shape);
        string w = AddWeight(Hint("weight"), ToFloats(weight), shape, weightParameter, null);
        string? b = linear.bias is null ? null : Builder.AddInitializer(Hint("bias"), ToFloats(ToDoubles(linear.bias, out _)), linear.out_features);
        return Builder.Gemm(input, w, b, outputHint: Hint("linear"));
    }

    /// <summary><c>relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))</c>, as <see cref="BasicBlock.forward"/>.</summary>
    public string EmitBasicBlock(BasicBlock block, string input)
    {
        ArgumentNullException.ThrowIfNull(block);
        var c = Children(block, ["conv1", "bn1", "conv2", "bn2"], ["downsample"]);
        string x = Builder.Relu(ConvBn(c, "conv1", "bn1", input), Hint("relu1"));
        x = ConvBn(c, "conv2", "bn2", x);
        return Residual(c, x, input);
    }

    /// <summary>1x1, 3x3, 1x1 with batch norms and a shortcut, as <see cref="BottleneckBlock.forward"/>.</summary>
    public string EmitBottleneckBlock(BottleneckBlock block, string input)
    {
        ArgumentNullException.ThrowIfNull(block);
        var c = Children(block, ["conv1", "bn1", "conv2", "bn2", "conv3", "bn3"], ["downsample"]);
        string x = Builder.Relu(ConvBn(c, "conv1", "bn1", input), Hint("relu1"));
        x = Builder.Relu(ConvBn(c, "conv2", "bn2", x), Hint("relu2"));
        x = ConvBn(c, "conv3", "bn3", x);
        return Residual(c, x, input);
    }

    /// <summary>
    /// The encoder's four stage outputs (strides 4/8/16/32 with the ImageNet stem), as <see cref="ResNetEncoder.Stages"/>:
    /// what a decoder takes as skip connections. Emitted under the current scope.
    /// </summary>
    public IReadOnlyList<string> EmitEncoderStages(ResNetEncoder encoder, string input)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var c = Children(encoder, ["stem", "layer1", "layer2", "layer3", "layer4"], []);
        string x = Emit(c["stem"], input, "stem");
        var stages = new string[4];
        for (int s = 0; s < 4; s++)
        {
            string name = "layer" + (s + 1).ToString(CultureInfo.InvariantCulture);
            x = Emit(c[name], x, name);
            stages[s] = x;
        }
        return stages;
    }

    /// <summary>
    /// The stem's output before its max-pool and the four stage outputs, as <see cref="ResNetEncoder.Pyramid"/>: the skip
    /// connections of a decoder that returns to full resolution. Emitted under the current scope, with the node names
    /// <see cref="EmitEncoderStages"/> gives.
    /// </summary>
    public IReadOnlyList<string> EmitEncoderPyramid(ResNetEncoder encoder, string input)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var c = Children(encoder, ["stem", "layer1", "layer2", "layer3", "layer4"], []);
        var stem = c["stem"].named_children().ToList();
        int pool = stem.FindIndex(child => child.module is MaxPool2d);
        if (pool >= 0 && pool != stem.Count - 1) throw new NotSupportedException($"the stem at '{Hint("stem")}' has layers after its max-pool");
        string stemFeature = WithScope("stem", () => EmitSequence(pool < 0 ? stem : stem.Take(pool), input));
        string x = pool < 0 ? stemFeature : WithScope("stem", () => Emit(stem[pool].module, stemFeature, stem[pool].name));
        var pyramid = new string[5];
        pyramid[0] = stemFeature;
        for (int s = 0; s < 4; s++)
        {
            string name = "layer" + (s + 1).ToString(CultureInfo.InvariantCulture);
            x = Emit(c[name], x, name);
            pyramid[s + 1] = x;
        }
        return pyramid;
    }

    /// <summary>
    /// A module's children by name, checking that all of <paramref name="required"/> are there and nothing outside
    /// <paramref name="required"/> and <paramref name="optional"/> is (null fields are not registered).
    /// </summary>
    public IReadOnlyDictionary<string, Module> Children(Module module, IReadOnlyCollection<string> required, IReadOnlyCollection<string> optional)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(required);
        ArgumentNullException.ThrowIfNull(optional);
        var children = module.named_children().ToDictionary(c => c.name, c => c.module, StringComparer.Ordinal);
        var missing = required.Where(r => !children.ContainsKey(r)).ToList();
        var unknown = children.Keys.Where(k => !required.Contains(k) && !optional.Contains(k)).ToList();
        if (missing.Count > 0 || unknown.Count > 0)
        {
            throw new NotSupportedException(
                $"ONNX export of {module.GetType().Name} at '{Path}' expects children [{string.Join(", ", required.Concat(optional))}]; "
                + $"missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unknown)}]: update its emitter with the module's forward");
        }
        return children;
    }

    private string ConvBn(IReadOnlyDictionary<string, Module> children, string convName, string bnName, string input)
    {
        var conv = children[convName] as Conv2d ?? throw new NotSupportedException($"'{Hint(convName)}' is not a Conv2d");
        var bn = children[bnName] as BatchNorm2d ?? throw new NotSupportedException($"'{Hint(bnName)}' is not a BatchNorm2d");
        return WithScope(convName, () => EmitConv(conv, bn, input));
    }

    private string Residual(IReadOnlyDictionary<string, Module> children, string x, string input)
    {
        string identity = children.TryGetValue("downsample", out var downsample) ? Emit(downsample, input, "downsample") : input;
        return Builder.Relu(Builder.Add(x, identity, Hint("add")), Hint("out"));
    }

    // Only Conv and Gemm weights take the storage choice: biases and batch-norm constants are a few per cent of the
    // bytes, and each is an offset of a whole channel, where a float16 rounding would shift every output of it.
    private string AddWeight(string hint, float[] values, long[] shape, Tensor parameter, double[]? channelScale)
    {
        if (Weights == OnnxWeightStorage.Float32)
            return Builder.AddInitializer(hint, values, shape);
        var stored = Float16Weights.Round(values, $"the weight of '{Path}'");
        if (RoundsModules)
            Float16Weights.WriteBack(parameter, stored, channelScale);
        return Builder.AddFloat16Weight(hint, stored, shape);
    }

    private string WithScope(string name, Func<string> emit)
    {
        scope.Add(name);
        try
        {
            return emit();
        }
        finally
        {
            scope.RemoveAt(scope.Count - 1);
        }
    }

    // g = gamma / sqrt(var + eps) and beta - mean * g: eval-mode batch norm as y = g * x + shift.
    private (double[] Scale, double[] Shift) FoldedBatchNorm(BatchNorm2d bn, long channels)
    {
        if (bn.num_features != channels)
            throw new InvalidOperationException($"BatchNorm2d at '{Path}' has {bn.num_features} features, the convolution gives {channels}");
        if (!bn.track_running_stats || bn.running_mean is null || bn.running_var is null)
            throw new NotSupportedException($"BatchNorm2d at '{Path}' has no running statistics; eval mode would use batch statistics");
        var mean = ToDoubles(bn.running_mean, out _);
        var variance = ToDoubles(bn.running_var, out _);
        var gamma = bn.weight is null ? Enumerable.Repeat(1.0, (int)channels).ToArray() : ToDoubles(bn.weight, out _);
        var beta = bn.bias is null ? new double[channels] : ToDoubles(bn.bias, out _);
        var scale = new double[channels];
        var shift = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            scale[c] = gamma[c] / Math.Sqrt(variance[c] + bn.eps);
            shift[c] = beta[c] - (mean[c] * scale[c]);
        }
        return (scale, shift);
    }

    private long[] ConvPads(Conv2d conv, long[] kernel, long[] dilation)
    {
        switch (conv.padding_type)
        {
            case Padding.Valid:
                return [0, 0, 0, 0];
            case Padding.Same:
                // PyTorch 'same': total d*(k-1), the extra pixel (odd total) at the end.
                long th = dilation[0] * (kernel[0] - 1), tw = dilation[1] * (kernel[1] - 1);
                return [th / 2, tw / 2, th - (th / 2), tw - (tw / 2)];
            default:
                long[] p = Pair(conv.padding, 0, "padding");
                return [p[0], p[1], p[0], p[1]];
        }
    }

    private long[] Pair(long[]? values, long fallback, string what) => values switch
    {
        null or [] => [fallback, fallback],
        [var v] => [v, v],
        [var h, var w] => [h, w],
        _ => throw new NotSupportedException($"{what} [{string.Join(", ", values)}] at '{Path}' is not 2-D"),
    };

    private static double[] ToDoubles(Tensor tensor, out long[] shape)
    {
        using var dispose = NewDisposeScope();
        using var noGrad = no_grad();
        var t = tensor.detach().cpu().to_type(ScalarType.Float64).contiguous();
        shape = t.shape;
        return t.data<double>().ToArray();
    }

    private static float[] ToFloats(double[] values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
            result[i] = (float)values[i];
        return result;
    }
}
