using System.Reflection;
using ConR.Shared.Preprocessing;
using ConR.Training.Engine;
using static TorchSharp.torch;

namespace ConR.Training.Encoder.Pretrained;

/// <summary>
/// Loads the ImageNet ResNet-18 of the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0 (MIT; a CNTK 2.6
/// export: basic blocks in a [2,2,2,3] layout, widths 64-128-256-512, no convolution biases, BatchNorm eps 1e-5)
/// into a <c>resnet18-imagenet</c> <see cref="ResNetEncoder"/> at width 1. Each task wraps it for its model (Age.Models.AgeImageNetInit:
/// the regressor is left as initialised; Depth.Models.DepthImageNetInit: the decoder is left as initialised).
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
    /// conv weight, BatchNorm scale, B, mean, var in the file -> the conv and BatchNorm in our encoder (names within
    /// the <see cref="ResNetEncoder"/>, which models hold as <c>encoder</c>), in graph order (read from the graph:
    /// ../shared/docs/imagenet-resnet18.md); torchvision's conv1/bn1 is our stem.0/stem.1.
    /// </summary>
    internal static IReadOnlyList<(string Conv, string Scale, string B, string Mean, string Var, string OurConv, string OurBn)> Table { get; } =
    [
        ("Parameter91", "Parameter96", "Parameter97", "Constant98", "Constant99", "stem.0", "stem.1"),
        ("Parameter86", "Parameter113", "Parameter114", "Constant115", "Constant116", "layer1.0.conv1", "layer1.0.bn1"),
        ("Parameter82", "Parameter127", "Parameter128", "Constant129", "Constant130", "layer1.0.conv2", "layer1.0.bn2"),
        ("Parameter77", "Parameter144", "Parameter145", "Constant146", "Constant147", "layer1.1.conv1", "layer1.1.bn1"),
        ("Parameter73", "Parameter158", "Parameter159", "Constant160", "Constant161", "layer1.1.conv2", "layer1.1.bn2"),
        ("Parameter68", "Parameter175", "Parameter176", "Constant177", "Constant178", "layer2.0.conv1", "layer2.0.bn1"),
        ("Parameter64", "Parameter189", "Parameter190", "Constant191", "Constant192", "layer2.0.conv2", "layer2.0.bn2"),
        ("Parameter199", "Parameter203", "Parameter204", "Constant205", "Constant206", "layer2.0.downsample.0", "layer2.0.downsample.1"),
        ("Parameter59", "Parameter220", "Parameter221", "Constant222", "Constant223", "layer2.1.conv1", "layer2.1.bn1"),
        ("Parameter55", "Parameter234", "Parameter235", "Constant236", "Constant237", "layer2.1.conv2", "layer2.1.bn2"),
        ("Parameter50", "Parameter251", "Parameter252", "Constant253", "Constant254", "layer3.0.conv1", "layer3.0.bn1"),
        ("Parameter46", "Parameter265", "Parameter266", "Constant267", "Constant268", "layer3.0.conv2", "layer3.0.bn2"),
        ("Parameter275", "Parameter279", "Parameter280", "Constant281", "Constant282", "layer3.0.downsample.0", "layer3.0.downsample.1"),
        ("Parameter41", "Parameter296", "Parameter297", "Constant298", "Constant299", "layer3.1.conv1", "layer3.1.bn1"),
        ("Parameter37", "Parameter310", "Parameter311", "Constant312", "Constant313", "layer3.1.conv2", "layer3.1.bn2"),
        ("Parameter32", "Parameter327", "Parameter328", "Constant329", "Constant330", "layer4.0.conv1", "layer4.0.bn1"),
        ("Parameter28", "Parameter341", "Parameter342", "Constant343", "Constant344", "layer4.0.conv2", "layer4.0.bn2"),
        ("Parameter351", "Parameter355", "Parameter356", "Constant357", "Constant358", "layer4.0.downsample.0", "layer4.0.downsample.1"),
        ("Parameter23", "Parameter372", "Parameter373", "Constant374", "Constant375", "layer4.1.conv1", "layer4.1.bn1"),
        ("Parameter19", "Parameter386", "Parameter387", "Constant388", "Constant389", "layer4.1.conv2", "layer4.1.bn2"),
        ("Parameter14", "Parameter403", "Parameter404", "Constant405", "Constant406", "layer4.2.conv1", "layer4.2.bn1"),
        ("Parameter10", "Parameter417", "Parameter418", "Constant419", "Constant420", "layer4.2.conv2", "layer4.2.bn2"),
    ];

    /// <summary>
    /// Loads the file's tensors into <paramref name="encoder"/> for input normalised by <paramref name="spec"/>: the
    /// stem is rewritten for that input (<see cref="StemInputFolding"/>), every other tensor is copied as it is. The
    /// caller checks the model's shape first (<see cref="CheckShape"/>), so a refusal can name the flags that fit.
    /// </summary>
    /// <returns>The number of tensors loaded (110).</returns>
    public static int Import(ResNetEncoder encoder, IReadOnlyDictionary<string, OnnxTensor> initializers, ImageSpec spec)
    {
        int loaded = LoadAsIs(encoder, initializers);
        var state = encoder.state_dict();
        var (weight, mean) = StemInputFolding.Fold(state["stem.0.weight"], state["stem.1.running_mean"], InputMeansBgr, spec);
        using (weight)
        using (mean)
        using (no_grad())
        {
            state["stem.0.weight"].copy_(weight);
            state["stem.1.running_mean"].copy_(mean);
        }
        return loaded;
    }

    /// <summary>
    /// Copies the file's tensors unchanged: the encoder then expects the package's own input, BGR at 0-255 minus
    /// <see cref="InputMeansBgr"/> (what the parity test against ONNX Runtime feeds it).
    /// </summary>
    public static int LoadAsIs(ResNetEncoder encoder, IReadOnlyDictionary<string, OnnxTensor> initializers)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(initializers);
        var state = encoder.state_dict();
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
        var missed = state.Keys.Where(k => !k.EndsWith(".num_batches_tracked", StringComparison.Ordinal) && !written.Contains(k)).ToList();
        if (missed.Count > 0) throw new InvalidOperationException($"the ImageNet table leaves {string.Join(", ", missed)} unloaded");
        return written.Count;
    }

    /// <summary>The file's float32 initializers; a missing file is refused with how to get it.</summary>
    public static IReadOnlyDictionary<string, OnnxTensor> ReadFile(string path)
    {
        RequireFile(path);
        return OnnxInitializers.Read(path);
    }

    /// <summary>Refuses a missing file with how to get it (trainers call it before loading any data).</summary>
    public static void RequireFile(string path)
    {
        if (!File.Exists(path))
            throw new ConfigurationException($"--init {InitName}: {path} does not exist; restore src/Training (dotnet restore) so NuGet downloads Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0");
    }

    /// <summary>
    /// Refuses an encoder that is not the file's: another architecture or width, or a stem other than the 7x7 ImageNet
    /// one (which the encoder builds when the input's shorter side is 64 px or more).
    /// </summary>
    /// <param name="architecture">The --arch given.</param>
    /// <param name="width">The --width given.</param>
    /// <param name="shorterSide">The input's shorter side in pixels.</param>
    /// <param name="sizeAdvice">The --img-size that fits, in the command's own terms.</param>
    /// <param name="sizeGiven">The --img-size given.</param>
    public static void CheckShape(string architecture, double width, int shorterSide, string sizeAdvice, string sizeGiven)
    {
        if (!string.Equals(architecture, ResNetArchitecture.ResNet18ImageNet.Name, StringComparison.OrdinalIgnoreCase) || width != 1.0)
            throw new ConfigurationException($"--init {InitName} loads a ResNet-18 with a [2,2,2,3] layout at full width: use --arch {ResNetArchitecture.ResNet18ImageNet.Name} --width 1 (got --arch {architecture} --width {width})");
        if (StemKinds.ForImageSize(shorterSide) != StemKind.ImageNet)
            throw new ConfigurationException($"--init {InitName} needs the 7x7 ImageNet stem, built for {sizeAdvice} (got {sizeGiven})");
    }

    private static void Copy(IReadOnlyDictionary<string, OnnxTensor> initializers, string name, Dictionary<string, Tensor> state, string key, HashSet<string> written)
    {
        if (!initializers.TryGetValue(name, out var source)) throw new ConfigurationException($"--init {InitName}: the file has no initializer {name} (for {key}); is it the package's ResNet18.onnx?");
        if (!state.TryGetValue(key, out var target))
            throw new InvalidOperationException($"the encoder has no {key}: it is not a {ResNetArchitecture.ResNet18ImageNet.Name} encoder (callers check with {nameof(CheckShape)} first)");
        if (!source.Shape.SequenceEqual(target.shape))
            throw new ConfigurationException($"--init {InitName}: initializer {name} is {source.ShapeText}, {key} is {string.Join('x', target.shape)}; is it the package's ResNet18.onnx?");
        using var values = tensor(source.Values).reshape(source.Shape);
        target.copy_(values);
        if (!written.Add(key)) throw new InvalidOperationException($"the ImageNet table writes {key} twice");
    }
}
