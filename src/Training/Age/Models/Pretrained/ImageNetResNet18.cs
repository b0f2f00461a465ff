using System.Reflection;
using ConR.Shared.Preprocessing;
using ConR.Training.Encoder;
using ConR.Training.Engine;
using static TorchSharp.torch;

namespace ConR.Training.Age.Models.Pretrained;

/// <summary>
/// Loads the ImageNet ResNet-18 of the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0 (MIT; a CNTK 2.6
/// export: basic blocks in a [2,2,2,3] layout, widths 64-128-256-512, no convolution biases, BatchNorm eps 1e-5)
/// into the encoder of a <c>resnet18-imagenet</c> age model at width 1. The regressor is left as initialised.
/// The graph's asymmetric pads are CNTK "same" padding, which equals torch's symmetric padding at even input sizes.
/// </summary>
public static class ImageNetResNet18
{
    /// <summary>The <c>--init</c> name.</summary>
    public const string InitName = "imagenet-resnet18";

    /// <summary>The package's per-channel means of its mean image, B, G, R, subtracted from BGR pixels at 0-255.</summary>
    public static IReadOnlyList<double> InputMeansBgr { get; } = [103.06, 115.90, 123.15];

    /// <summary>
    /// The ONNX file in the NuGet cache, as restore placed it when this assembly was built (src/Training's
    /// PackageDownload); restoring src/Training puts it there.
    /// </summary>
    public static string DefaultPath { get; } = typeof(ImageNetResNet18).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "ImageNetResNet18Onnx")?.Value ?? "ResNet18.onnx";

    /// <summary>
    /// conv weight, BatchNorm scale, B, mean, var in the file -> the conv and BatchNorm in our encoder, in graph
    /// order (read from the graph: ../shared/docs/imagenet-resnet18.md); torchvision's conv1/bn1 is our stem.0/stem.1.
    /// </summary>
    internal static IReadOnlyList<(string Conv, string Scale, string B, string Mean, string Var, string OurConv, string OurBn)> Table { get; } =
    [
        ("Parameter91", "Parameter96", "Parameter97", "Constant98", "Constant99", "encoder.stem.0", "encoder.stem.1"),
        ("Parameter86", "Parameter113", "Parameter114", "Constant115", "Constant116", "encoder.layer1.0.conv1", "encoder.layer1.0.bn1"),
        ("Parameter82", "Parameter127", "Parameter128", "Constant129", "Constant130", "encoder.layer1.0.conv2", "encoder.layer1.0.bn2"),
        ("Parameter77", "Parameter144", "Parameter145", "Constant146", "Constant147", "encoder.layer1.1.conv1", "encoder.layer1.1.bn1"),
        ("Parameter73", "Parameter158", "Parameter159", "Constant160", "Constant161", "encoder.layer1.1.conv2", "encoder.layer1.1.bn2"),
        ("Parameter68", "Parameter175", "Parameter176", "Constant177", "Constant178", "encoder.layer2.0.conv1", "encoder.layer2.0.bn1"),
        ("Parameter64", "Parameter189", "Parameter190", "Constant191", "Constant192", "encoder.layer2.0.conv2", "encoder.layer2.0.bn2"),
        ("Parameter199", "Parameter203", "Parameter204", "Constant205", "Constant206", "encoder.layer2.0.downsample.0", "encoder.layer2.0.downsample.1"),
        ("Parameter59", "Parameter220", "Parameter221", "Constant222", "Constant223", "encoder.layer2.1.conv1", "encoder.layer2.1.bn1"),
        ("Parameter55", "Parameter234", "Parameter235", "Constant236", "Constant237", "encoder.layer2.1.conv2", "encoder.layer2.1.bn2"),
        ("Parameter50", "Parameter251", "Parameter252", "Constant253", "Constant254", "encoder.layer3.0.conv1", "encoder.layer3.0.bn1"),
        ("Parameter46", "Parameter265", "Parameter266", "Constant267", "Constant268", "encoder.layer3.0.conv2", "encoder.layer3.0.bn2"),
        ("Parameter275", "Parameter279", "Parameter280", "Constant281", "Constant282", "encoder.layer3.0.downsample.0", "encoder.layer3.0.downsample.1"),
        ("Parameter41", "Parameter296", "Parameter297", "Constant298", "Constant299", "encoder.layer3.1.conv1", "encoder.layer3.1.bn1"),
        ("Parameter37", "Parameter310", "Parameter311", "Constant312", "Constant313", "encoder.layer3.1.conv2", "encoder.layer3.1.bn2"),
        ("Parameter32", "Parameter327", "Parameter328", "Constant329", "Constant330", "encoder.layer4.0.conv1", "encoder.layer4.0.bn1"),
        ("Parameter28", "Parameter341", "Parameter342", "Constant343", "Constant344", "encoder.layer4.0.conv2", "encoder.layer4.0.bn2"),
        ("Parameter351", "Parameter355", "Parameter356", "Constant357", "Constant358", "encoder.layer4.0.downsample.0", "encoder.layer4.0.downsample.1"),
        ("Parameter23", "Parameter372", "Parameter373", "Constant374", "Constant375", "encoder.layer4.1.conv1", "encoder.layer4.1.bn1"),
        ("Parameter19", "Parameter386", "Parameter387", "Constant388", "Constant389", "encoder.layer4.1.conv2", "encoder.layer4.1.bn2"),
        ("Parameter14", "Parameter403", "Parameter404", "Constant405", "Constant406", "encoder.layer4.2.conv1", "encoder.layer4.2.bn1"),
        ("Parameter10", "Parameter417", "Parameter418", "Constant419", "Constant420", "encoder.layer4.2.conv2", "encoder.layer4.2.bn2"),
    ];

    /// <summary>
    /// Reads <paramref name="path"/> and loads it into <paramref name="model"/> for input normalised by
    /// <paramref name="spec"/> (<see cref="StemInputFolding"/>).
    /// </summary>
    /// <returns>The number of tensors loaded (110).</returns>
    public static int Import(AgeRegressor model, string path, ImageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckModel(model.Spec);
        if (!File.Exists(path))
            throw new ConfigurationException($"--init {InitName}: {path} does not exist; restore src/Training (dotnet restore) so NuGet downloads Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0");
        return Import(model, OnnxInitializers.Read(path), spec);
    }

    /// <inheritdoc cref="Import(AgeRegressor, string, ImageSpec)"/>
    public static int Import(AgeRegressor model, IReadOnlyDictionary<string, OnnxTensor> initializers, ImageSpec spec)
    {
        int loaded = LoadAsIs(model, initializers);
        var state = model.state_dict();
        var (weight, mean) = StemInputFolding.Fold(state["encoder.stem.0.weight"], state["encoder.stem.1.running_mean"], InputMeansBgr, spec);
        using (weight)
        using (mean)
        using (no_grad())
        {
            state["encoder.stem.0.weight"].copy_(weight);
            state["encoder.stem.1.running_mean"].copy_(mean);
        }
        return loaded;
    }

    /// <summary>
    /// Copies the file's tensors unchanged: the encoder then expects the package's own input, BGR at 0-255 minus
    /// <see cref="InputMeansBgr"/> (what the parity test against ONNX Runtime feeds it).
    /// </summary>
    public static int LoadAsIs(AgeRegressor model, IReadOnlyDictionary<string, OnnxTensor> initializers)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(initializers);
        CheckModel(model.Spec);
        var state = model.state_dict();
        var written = new HashSet<string>(StringComparer.Ordinal);
        using var noGrad = no_grad();
        foreach (var row in Table)
        {
            Copy(initializers, row.Conv, state, $"{row.OurConv}.weight", written);
            Copy(initializers, row.Scale, state, $"{row.OurBn}.weight", written);
            Copy(initializers, row.B, state, $"{row.OurBn}.bias", written);
            Copy(initializers, row.Mean, state, $"{row.OurBn}.running_mean", written);
            Copy(initializers, row.Var, state, $"{row.OurBn}.running_var", written);
        }
        // The table and the [2,2,2,3] layout must cover the encoder exactly: a tensor left at its random start would
        // train silently from scratch.
        var missed = state.Keys.Where(k => k.StartsWith("encoder.", StringComparison.Ordinal) && !k.EndsWith(".num_batches_tracked", StringComparison.Ordinal) && !written.Contains(k)).ToList();
        if (missed.Count > 0) throw new InvalidOperationException($"the ImageNet table leaves {string.Join(", ", missed)} unloaded");
        return written.Count;
    }

    /// <summary>Refuses a model whose shape is not the one the file holds, with the flags that fix it.</summary>
    public static void CheckModel(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!string.Equals(spec.Architecture, ResNetArchitecture.ResNet18ImageNet.Name, StringComparison.OrdinalIgnoreCase) || spec.Width != 1.0)
            throw new ConfigurationException($"--init {InitName} loads a ResNet-18 with a [2,2,2,3] layout at full width: use --arch {ResNetArchitecture.ResNet18ImageNet.Name} --width 1 (got --arch {spec.Architecture} --width {spec.Width})");
        if (StemKinds.ForImageSize(spec.ImageSize) != StemKind.ImageNet)
            throw new ConfigurationException($"--init {InitName} needs the 7x7 ImageNet stem, built for --img-size 64 and more (got {spec.ImageSize})");
    }

    private static void Copy(IReadOnlyDictionary<string, OnnxTensor> initializers, string name, Dictionary<string, Tensor> state, string key, HashSet<string> written)
    {
        if (!initializers.TryGetValue(name, out var source)) throw new ConfigurationException($"--init {InitName}: the file has no initializer {name} (for {key}); is it the package's ResNet18.onnx?");
        var target = state[key];
        if (!source.Shape.SequenceEqual(target.shape))
            throw new ConfigurationException($"--init {InitName}: initializer {name} is {source.ShapeText}, {key} is {string.Join('x', target.shape)}; is it the package's ResNet18.onnx?");
        using var values = tensor(source.Values).reshape(source.Shape);
        target.copy_(values);
        if (!written.Add(key)) throw new InvalidOperationException($"the ImageNet table writes {key} twice");
    }
}
