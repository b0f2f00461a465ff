using System.Globalization;
using ConR.Shared.ModelPackage;
using ConR.Shared.Preprocessing;
using Microsoft.ML.OnnxRuntime;

namespace ConR.Bench;

/// <summary>The newest version of one model in a repository: its card's input spec and the ONNX file.</summary>
internal sealed class AgeModelPackage
{
    private AgeModelPackage(string name, int version, string folder, ModelCard card)
    {
        Name = name;
        Version = version;
        Folder = folder;
        Card = card;
        Spec = card.Input.ToImageSpec();
        InputName = card.Input.Name;
        OutputName = card.Outputs[0].Name;
        OutputItemDims = [.. card.Outputs[0].Shape.Skip(1).Select(d => (long)d)];
        OutputLength = checked((int)OutputItemDims.Aggregate(1L, (a, b) => a * b));
    }

    public string Name { get; }

    public int Version { get; }

    public string Folder { get; }

    public ModelCard Card { get; }

    public ImageSpec Spec { get; }

    public string InputName { get; }

    public string OutputName { get; }

    public long[] OutputItemDims { get; }

    public int InputLength => Spec.TensorLength;

    public int OutputLength { get; }

    public string OnnxPath => Path.Combine(Folder, "model.onnx");

    public long OnnxBytes => new FileInfo(OnnxPath).Length;

    public long[] InputShape(int batch) => [batch, ImageSpec.Channels, Spec.Height, Spec.Width];

    public long[] OutputShape(int batch) => [batch, .. OutputItemDims];

    public static AgeModelPackage Open(string repository, string name)
    {
        var modelFolder = Path.Combine(repository, name);
        var versions = Directory.Exists(modelFolder)
            ? Directory.GetDirectories(modelFolder)
                .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1)
                .Where(v => v > 0)
                .Order()
                .ToList()
            : [];
        if (versions.Count == 0)
        {
            throw new ArgumentException($"The repository '{repository}' has no '{name}/VERSION/' package.");
        }

        var folder = Path.Combine(modelFolder, versions[^1].ToString(CultureInfo.InvariantCulture));
        var card = ModelCardSerializer.Deserialize(File.ReadAllText(Path.Combine(folder, "model.json")), $"{name}/{versions[^1]}/model.json");
        return new AgeModelPackage(name, versions[^1], folder, card);
    }

    /// <summary>
    /// A CPU session with the service's settings (src/Api/Onnx/OnnxBackendFactory.cs): all graph optimizations,
    /// sequential execution, <paramref name="intraOpThreads"/> (0 = one per core), one inter-op thread, no spinning.
    /// </summary>
    public InferenceSession CreateSession(int intraOpThreads)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return new InferenceSession(OnnxPath, options);
    }
}
