namespace ConR.Training.Encoder;

/// <summary>The ResNet family members the console can build, with a width multiplier for CPU-sized runs.</summary>
public sealed record ResNetArchitecture(string Name, bool Bottleneck, int[] BlocksPerStage)
{
    public static ResNetArchitecture ResNet18 { get; } = new("resnet18", false, [2, 2, 2, 2]);

    /// <summary>
    /// ResNet-18 with a third block in the last stage: the layout of CNTK's ImageNet ResNet-18, whose weights
    /// <c>--init imagenet-resnet18</c> loads (<see cref="Pretrained.ImageNetResNet18"/>).
    /// </summary>
    public static ResNetArchitecture ResNet18ImageNet { get; } = new("resnet18-imagenet", false, [2, 2, 2, 3]);

    public static ResNetArchitecture ResNet34 { get; } = new("resnet34", false, [3, 4, 6, 3]);
    public static ResNetArchitecture ResNet50 { get; } = new("resnet50", true, [3, 4, 6, 3]);

    public static ResNetArchitecture Parse(string name) => name.ToLowerInvariant() switch
    {
        "resnet18" => ResNet18,
        "resnet18-imagenet" => ResNet18ImageNet,
        "resnet34" => ResNet34,
        "resnet50" => ResNet50,
        _ => throw new ArgumentException($"unknown architecture '{name}' (resnet18, resnet18-imagenet, resnet34, resnet50)", nameof(name)),
    };

    /// <summary>
    /// Channels of the four stages before bottleneck expansion, scaled by the width multiplier, at least
    /// <see cref="MinChannels"/>.
    /// </summary>
    public static int[] StageWidths(double width)
    {
        if (!(width > 0) || width > 4) throw new ArgumentOutOfRangeException(nameof(width), width, "width multiplier must be in (0, 4]");
        return new[] { 64, 128, 256, 512 }.Select(c => Math.Max(MinChannels, (int)Math.Round(c * width))).ToArray();
    }

    /// <summary>
    /// The fewest channels a stage gets. On AVX-512 CPUs the oneDNN convolution in TorchSharp-cpu 0.107's libtorch
    /// returns a nondeterministic, sometimes NaN, input gradient for convolutions with fewer than 16 output channels
    /// (measured: docs/results.md, "A libtorch defect under 16 channels"); 16 keeps every encoder convolution clear of it.
    /// </summary>
    public const int MinChannels = 16;
}

/// <summary>How the first layers reduce resolution; picked from the image size so small CPU inputs keep detail.</summary>
public enum StemKind
{
    /// <summary>7x7 stride-2 convolution and 3x3 max-pool (ImageNet ResNet), for inputs of 64 px and more.</summary>
    ImageNet,

    /// <summary>3x3 stride-2 convolution, no pooling, for 32 to 63 px.</summary>
    Strided,

    /// <summary>3x3 stride-1 convolution, no pooling (CIFAR style), below 32 px.</summary>
    Small,
}

public static class StemKinds
{
    public static StemKind ForImageSize(int size) => size >= 64 ? StemKind.ImageNet : size >= 32 ? StemKind.Strided : StemKind.Small;
}
