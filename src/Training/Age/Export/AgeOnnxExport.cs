using System.Globalization;
using ConR.Shared.Preprocessing;
using ConR.Training.Age.Models;
using ConR.Training.Export;
using Google.Protobuf;
using Onnx;

namespace ConR.Training.Age.Export;

/// <summary>
/// Exports an <see cref="AgeRegressor"/> to ONNX: input <c>image</c> float32 [N, 3, S, S] (preprocessed as
/// <see cref="ImageSpec.Age"/>), output <c>age</c> float32 [N, 1], N dynamic. Eval mode, batch norms folded; the
/// Conv and Gemm weights stored as <see cref="OnnxWeightStorage"/> says.
/// </summary>
public static class AgeOnnxExport
{
    public const string InputName = OnnxModelNames.ImageInput;
    public const string OutputName = "age";

    /// <summary>The serialized ONNX model.</summary>
    public static byte[] ToOnnx(AgeRegressor model, OnnxWeightStorage weights = OnnxWeightStorage.Float32) => ToModel(model, weights).ToByteArray();

    /// <summary>Writes the ONNX model to <paramref name="path"/> (replacing it).</summary>
    public static void Save(AgeRegressor model, string path, OnnxWeightStorage weights = OnnxWeightStorage.Float32)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.WriteAllBytes(path, ToOnnx(model, weights));
    }

    /// <summary>The ONNX model as OnnxSharp's protobuf message.</summary>
    public static ModelProto ToModel(AgeRegressor model, OnnxWeightStorage weights = OnnxWeightStorage.Float32) => Build(model, weights, roundModel: false);

    /// <summary>
    /// Rounds <paramref name="model"/>'s weights in place to what an export with <paramref name="weights"/> stores (the
    /// batch-norm-folded weight rounded, then unfolded), so evaluating the model measures the shipped graph. Float32: no change.
    /// Exporting the rounded model again stores the same values.
    /// </summary>
    public static void RoundToStoredWeights(AgeRegressor model, OnnxWeightStorage weights)
    {
        if (weights != OnnxWeightStorage.Float32)
            Build(model, weights, roundModel: true);
    }

    /// <summary>The metadata_props written into the model, so a server can check what it loaded.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Metadata(ModelSpec spec, OnnxWeightStorage weights = OnnxWeightStorage.Float32)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var input = ImageSpec.Age(spec.ImageSize);
        static string Join(float[] values) => string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        return
        [
            new("task", spec.Task),
            new("architecture", spec.Architecture),
            new("width", spec.Width.ToString("R", CultureInfo.InvariantCulture)),
            new("image_size", spec.ImageSize.ToString(CultureInfo.InvariantCulture)),
            new("input", InputName),
            new("output", OutputName),
            new("input_layout", "NCHW RGB float32, (x / 255 - mean) / std"),
            new("input_mean", Join(input.Mean)),
            new("input_std", Join(input.Std)),
            new("output_unit", "years"),
            new("weight_storage", OnnxWeightStorageNames.ElementType(weights)),
        ];
    }

    private static ModelProto Build(AgeRegressor model, OnnxWeightStorage weights, bool roundModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        var spec = model.Spec;
        var builder = new OnnxGraphBuilder("conr_age_" + spec.Architecture.ToLowerInvariant());
        var batch = OnnxDim.Symbolic(OnnxModelNames.BatchDimension);
        string image = builder.AddInput(InputName, batch, OnnxDim.Fixed(ImageSpec.Channels), OnnxDim.Fixed(spec.ImageSize), OnnxDim.Fixed(spec.ImageSize));
        string prediction = new ModuleOnnxExporter(builder, weights, roundModel).Register<AgeRegressor>(EmitAgeRegressor).Emit(model, image);
        builder.AddOutput(prediction, OutputName, batch, OnnxDim.Fixed(1));
        string doc = "ConR age regressor (eval mode, batch norm folded" + (weights == OnnxWeightStorage.Float16 ? "; conv/linear weights stored as float16)" : ")");
        return builder.BuildModel(OnnxModelNames.Producer, OnnxModelNames.ProducerVersion(), doc, Metadata(spec, weights));
    }

    /// <summary>Encoder, global average pool, flatten, linear: the prediction of <see cref="AgeRegressor.forward"/>.</summary>
    private static string EmitAgeRegressor(ModuleOnnxExporter e, AgeRegressor model, string input)
    {
        var c = e.Children(model, ["encoder", "regressor"], []);
        string map = e.Emit(c["encoder"], input, "encoder");
        string pooled = e.Builder.GlobalAveragePool(map, e.Hint("pool"));
        string features = e.Builder.Flatten(pooled, 1, e.Hint("features"));
        return e.Emit(c["regressor"], features, "regressor");
    }
}
