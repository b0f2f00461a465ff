using System.Buffers.Binary;
using ConR.Training.Engine;
using Onnx;

namespace ConR.Training.Encoder.Pretrained;

/// <summary>A float32 tensor read from an ONNX file: its shape and its values in row-major order.</summary>
public sealed record OnnxTensor(long[] Shape, float[] Values)
{
    public string ShapeText => string.Join('x', Shape);
}

/// <summary>Reads the float32 initializers (the weights) of an ONNX file, by name; the graph itself is not read.</summary>
public static class OnnxInitializers
{
    public static IReadOnlyDictionary<string, OnnxTensor> Read(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationException($"{path} does not exist");
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException ex)
        {
            throw new ConfigurationException($"{path} is not an ONNX model: {ex.Message}");
        }
        var tensors = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        foreach (var initializer in model.Graph.Initializer)
        {
            tensors[initializer.Name] = ToTensor(initializer, path);
        }
        return tensors;
    }

    private static OnnxTensor ToTensor(TensorProto tensor, string path)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new ConfigurationException($"{path}: initializer {tensor.Name} has ONNX data type {tensor.DataType}, not float32");
        long[] shape = [.. tensor.Dims];
        long count = shape.Aggregate(1L, (a, d) => a * d);
        // Exporters store float32 either in float_data or as little-endian bytes in raw_data.
        float[] values = tensor.RawData.Length > 0 ? FromRaw(tensor.RawData.Span) : [.. tensor.FloatData];
        if (values.Length != count)
            throw new ConfigurationException($"{path}: initializer {tensor.Name} holds {values.Length} values for shape {string.Join('x', shape)}");
        return new OnnxTensor(shape, values);
    }

    private static float[] FromRaw(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * sizeof(float)));
        return values;
    }
}
