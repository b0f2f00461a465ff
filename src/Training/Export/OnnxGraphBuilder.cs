using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;
using Onnx;

namespace ConR.Training.Export;

/// <summary>One dimension of a graph input or output: a fixed size or a symbolic name (a dynamic dimension).</summary>
public readonly record struct OnnxDim(long? Value, string? Param)
{
    public static OnnxDim Fixed(long value) =>
        value > 0 ? new(value, null) : throw new ArgumentOutOfRangeException(nameof(value), value, "a fixed dimension must be positive");

    public static OnnxDim Symbolic(string name) =>
        string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("a symbolic dimension needs a name", nameof(name)) : new(null, name);

    public override string ToString() => Param ?? Value!.Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>How <see cref="OnnxGraphBuilder.Resize"/> maps output pixels to input pixels.</summary>
public enum ResizeCoordinates
{
    /// <summary>
    /// ONNX <c>half_pixel</c>: <c>x_in = (x_out + 0.5) / scale - 0.5</c>, the same as PyTorch's
    /// <c>interpolate(mode: bilinear, align_corners: false)</c> (its default) for every output larger than 1 pixel.
    /// The default, and what the depth decoder should use.
    /// </summary>
    HalfPixel,

    /// <summary>ONNX <c>align_corners</c>, PyTorch's <c>align_corners: true</c>.</summary>
    AlignCorners,
}

/// <summary>
/// A small builder of ONNX models (opset <see cref="Opset"/>, IR version <see cref="IrVersion"/>) on OnnxSharp's protobuf classes:
/// float32 initializers (and float16 weights cast to float32), the operators a ResNet encoder and a depth decoder need,
/// inputs and outputs.
/// Every value, initializer and node gets a unique name made from a hint.
/// </summary>
/// <remarks>
/// Opset 17 and IR 8 are what Debian 12's python3-onnx (1.12) checks and what every ONNX Runtime 1.14+ runs.
/// Only operators whose opset-17 definitions this class knows are offered; <c>AddNode</c> takes any other.
/// </remarks>
public sealed class OnnxGraphBuilder
{
    public const int Opset = 17;
    public const long IrVersion = 8;

    private readonly GraphProto graph;
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> counters = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(string graphName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        graph = new GraphProto { Name = graphName };
    }

    /// <summary>The graph as built so far (mutable: the builder keeps adding to it).</summary>
    public GraphProto Graph => graph;

    /// <summary>A name not yet used in this graph, made from <paramref name="hint"/> (characters outside [A-Za-z0-9_.:/-] become '_').</summary>
    public string UniqueName(string hint)
    {
        string stem = Sanitize(hint);
        if (names.Add(stem))
            return stem;
        int next = counters.TryGetValue(stem, out int n) ? n : 1;
        string candidate;
        do
        {
            candidate = stem + "_" + next.ToString(CultureInfo.InvariantCulture);
            next++;
        }
        while (!names.Add(candidate));
        counters[stem] = next;
        return candidate;
    }

    /// <summary>Adds a float32 initializer (stored as little-endian raw data) and returns its unique name.</summary>
    public string AddInitializer(string hint, ReadOnlySpan<float> data, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        CheckCount(data.Length, dims);
        var tensor = NewTensor(hint, TensorProto.Types.DataType.Float, dims);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data));
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>
    /// Adds a float16 initializer (<c>hint.fp16</c>) and a <c>Cast(to: FLOAT)</c> of it; returns the Cast's output, named
    /// from <paramref name="hint"/>, so the consumers see a float32 value as from <see cref="AddInitializer"/>.
    /// </summary>
    public string AddFloat16Weight(string hint, ReadOnlySpan<Half> data, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        CheckCount(data.Length, dims);
        var tensor = NewTensor(hint + ".fp16", TensorProto.Types.DataType.Float16, dims);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data));
        graph.Initializer.Add(tensor);
        return AddNode("Cast", hint, [tensor.Name], Int("to", (long)TensorProto.Types.DataType.Float));
    }

    /// <summary>Adds an int64 initializer (shapes, sizes, axes) and returns its unique name.</summary>
    public string AddInt64Initializer(string hint, ReadOnlySpan<long> data, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        CheckCount(data.Length, dims);
        var tensor = NewTensor(hint, TensorProto.Types.DataType.Int64, dims);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data));
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Declares a float32 graph input named exactly <paramref name="name"/>; returns the name.</summary>
    public string AddInput(string name, params OnnxDim[] dims)
    {
        Claim(name);
        graph.Input.Add(ValueInfo(name, dims));
        return name;
    }

    /// <summary>
    /// Declares a float32 graph output named exactly <paramref name="name"/>, produced by the value <paramref name="value"/>.
    /// The node that produces <paramref name="value"/> is renamed to write <paramref name="name"/> (an Identity node is
    /// added when the value is a graph input or an initializer).
    /// </summary>
    public string AddOutput(string value, string name, params OnnxDim[] dims)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if (value != name)
        {
            var producer = graph.Node.LastOrDefault(n => n.Output.Contains(value));
            if (producer is null)
            {
                Claim(name);
                graph.Node.Add(NewNode("Identity", [value], [name], []));
            }
            else
            {
                Claim(name);
                for (int i = 0; i < producer.Output.Count; i++)
                {
                    if (producer.Output[i] == value)
                        producer.Output[i] = name;
                }
                foreach (var node in graph.Node)
                {
                    for (int i = 0; i < node.Input.Count; i++)
                    {
                        if (node.Input[i] == value)
                            node.Input[i] = name;
                    }
                }
            }
        }
        graph.Output.Add(ValueInfo(name, dims));
        return name;
    }

    /// <summary>Adds any node; returns its output names (unique names made from <paramref name="outputHint"/>).</summary>
    public IReadOnlyList<string> AddNode(string opType, IReadOnlyList<string> inputs, int outputCount, IEnumerable<AttributeProto> attributes, string? outputHint = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        string hint = outputHint ?? opType;
        var outputs = new string[outputCount];
        for (int i = 0; i < outputCount; i++)
            outputs[i] = UniqueName(outputCount == 1 ? hint : hint + "_out" + i.ToString(CultureInfo.InvariantCulture));
        graph.Node.Add(NewNode(opType, inputs, outputs, attributes));
        return outputs;
    }

    /// <summary>Adds a single-output node and returns its output name.</summary>
    public string AddNode(string opType, string outputHint, IReadOnlyList<string> inputs, params AttributeProto[] attributes) =>
        AddNode(opType, inputs, 1, attributes, outputHint)[0];

    /// <summary>2-D convolution. <paramref name="pads"/> is ONNX order: [top, left, bottom, right].</summary>
    public string Conv(string input, string weight, string? bias, long[] kernelShape, long[] strides, long[] pads, long[] dilations, long group, string? outputHint = null)
    {
        var inputs = bias is null ? new[] { input, weight } : [input, weight, bias];
        return AddNode("Conv", outputHint ?? "conv", inputs,
            Ints("kernel_shape", kernelShape), Ints("strides", strides), Ints("pads", pads), Ints("dilations", dilations), Int("group", group));
    }

    /// <summary>Max pooling; <paramref name="pads"/> is ONNX order [top, left, bottom, right].</summary>
    public string MaxPool(string input, long[] kernelShape, long[] strides, long[] pads, long[] dilations, bool ceilMode, string? outputHint = null) =>
        AddNode("MaxPool", outputHint ?? "maxpool", [input],
            Ints("kernel_shape", kernelShape), Ints("strides", strides), Ints("pads", pads), Ints("dilations", dilations), Int("ceil_mode", ceilMode ? 1 : 0));

    /// <summary>Inference batch normalization: <c>scale * (x - mean) / sqrt(var + epsilon) + bias</c> per channel.</summary>
    public string BatchNormalization(string input, string scale, string bias, string mean, string variance, float epsilon, string? outputHint = null) =>
        AddNode("BatchNormalization", outputHint ?? "bn", [input, scale, bias, mean, variance], Float("epsilon", epsilon));

    public string Relu(string input, string? outputHint = null) => AddNode("Relu", outputHint ?? "relu", [input]);

    public string Sigmoid(string input, string? outputHint = null) => AddNode("Sigmoid", outputHint ?? "sigmoid", [input]);

    /// <summary><c>log(1 + exp(x))</c>, PyTorch's <c>softplus</c> with beta 1 (its threshold only avoids overflow).</summary>
    public string Softplus(string input, string? outputHint = null) => AddNode("Softplus", outputHint ?? "softplus", [input]);

    public string Add(string a, string b, string? outputHint = null) => AddNode("Add", outputHint ?? "add", [a, b]);

    public string Mul(string a, string b, string? outputHint = null) => AddNode("Mul", outputHint ?? "mul", [a, b]);

    public string Concat(long axis, IReadOnlyList<string> inputs, string? outputHint = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new ArgumentException("Concat needs at least one input", nameof(inputs));
        return AddNode("Concat", outputHint ?? "concat", inputs, Int("axis", axis));
    }

    /// <summary>Mean over each channel's spatial extent: [N, C, H, W] to [N, C, 1, 1].</summary>
    public string GlobalAveragePool(string input, string? outputHint = null) => AddNode("GlobalAveragePool", outputHint ?? "gap", [input]);

    /// <summary>Flattens to 2-D: dimensions before <paramref name="axis"/> and from it on.</summary>
    public string Flatten(string input, long axis = 1, string? outputHint = null) => AddNode("Flatten", outputHint ?? "flatten", [input], Int("axis", axis));

    /// <summary><c>alpha * A' * B' + beta * C</c>; with <paramref name="transB"/> a PyTorch Linear weight [out, in] is used as is.</summary>
    public string Gemm(string a, string b, string? c, bool transA = false, bool transB = true, float alpha = 1f, float beta = 1f, string? outputHint = null)
    {
        var inputs = c is null ? new[] { a, b } : [a, b, c];
        return AddNode("Gemm", outputHint ?? "gemm", inputs,
            Float("alpha", alpha), Float("beta", beta), Int("transA", transA ? 1 : 0), Int("transB", transB ? 1 : 0));
    }

    /// <summary>
    /// Bilinear resize of an NCHW tensor by fixed spatial scale factors (output = floor(input * scale)); the batch and
    /// channel dimensions are kept, so a dynamic batch stays dynamic. Matches PyTorch's
    /// <c>interpolate(scale_factor: [sh, sw], mode: bilinear, align_corners: false)</c> with the default coordinates.
    /// </summary>
    public string Resize(string input, double scaleH, double scaleW, ResizeCoordinates coordinates = ResizeCoordinates.HalfPixel, string? outputHint = null)
    {
        if (!(scaleH > 0) || !(scaleW > 0)) throw new ArgumentOutOfRangeException(nameof(scaleH), "scales must be positive");
        string scales = AddInitializer("resize_scales", new[] { 1f, 1f, (float)scaleH, (float)scaleW }, 4);
        return AddNode("Resize", outputHint ?? "resize", [input, "", scales], ResizeAttributes(coordinates));
    }

    /// <summary>
    /// Bilinear resize of an NCHW tensor to a fixed spatial size, keeping N and C from the input at run time
    /// (Shape, Slice, Concat build the sizes), so a dynamic batch stays dynamic. Matches PyTorch's
    /// <c>interpolate(size: [h, w], mode: bilinear, align_corners: false)</c> with the default coordinates.
    /// </summary>
    public string ResizeToSize(string input, long height, long width, ResizeCoordinates coordinates = ResizeCoordinates.HalfPixel, string? outputHint = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        string shape = AddNode("Shape", "resize_in_shape", [input]);
        string starts = AddInt64Initializer("resize_nc_start", new long[] { 0 }, 1);
        string ends = AddInt64Initializer("resize_nc_end", new long[] { 2 }, 1);
        string nc = AddNode("Slice", "resize_nc", [shape, starts, ends]);
        string hw = AddInt64Initializer("resize_hw", new[] { height, width }, 2);
        string sizes = Concat(0, [nc, hw], "resize_sizes");
        return AddNode("Resize", outputHint ?? "resize", [input, "", "", sizes], ResizeAttributes(coordinates));
    }

    /// <summary>The model: IR <see cref="IrVersion"/>, default-domain opset <see cref="Opset"/>, this graph and the metadata.</summary>
    public ModelProto BuildModel(string producerName, string producerVersion, string docString, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = producerName ?? "",
            ProducerVersion = producerVersion ?? "",
            DocString = docString ?? "",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in metadata)
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static AttributeProto[] ResizeAttributes(ResizeCoordinates coordinates) =>
    [
        String("mode", "linear"),
        String("coordinate_transformation_mode", coordinates == ResizeCoordinates.AlignCorners ? "align_corners" : "half_pixel"),
    ];

    private NodeProto NewNode(string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, IEnumerable<AttributeProto> attributes)
    {
        var node = new NodeProto { OpType = opType, Name = UniqueName("node_" + opType) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private TensorProto NewTensor(string hint, TensorProto.Types.DataType type, long[] dims)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian");
        var tensor = new TensorProto { Name = UniqueName(hint), DataType = (int)type };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private static void CheckCount(int count, long[] dims)
    {
        long expected = 1;
        foreach (long d in dims)
        {
            if (d < 0) throw new ArgumentException("initializer dimensions cannot be negative", nameof(dims));
            expected *= d;
        }
        if (expected != count)
            throw new ArgumentException($"initializer has {count} values but dims [{string.Join(", ", dims)}] need {expected}", nameof(dims));
    }

    private void Claim(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (Sanitize(name) != name) throw new ArgumentException($"'{name}' is not a plain graph name", nameof(name));
        if (!names.Add(name)) throw new ArgumentException($"'{name}' is already used in this graph", nameof(name));
    }

    private static ValueInfoProto ValueInfo(string name, OnnxDim[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            var d = new TensorShapeProto.Types.Dimension();
            if (dim.Param is not null)
                d.DimParam = dim.Param;
            else if (dim.Value is long v)
                d.DimValue = v;
            else
                throw new ArgumentException("a dimension needs a value or a name", nameof(dims));
            shape.Dim.Add(d);
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static string Sanitize(string hint)
    {
        if (string.IsNullOrEmpty(hint)) return "v";
        var sb = new StringBuilder(hint.Length);
        foreach (char c in hint)
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '/' or '-' ? c : '_');
        return sb.ToString();
    }
}
