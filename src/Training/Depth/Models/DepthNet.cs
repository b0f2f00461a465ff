using ConR.Training.Encoder;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ConR.Training.Depth.Models;

/// <summary>What is needed to rebuild a depth model exactly.</summary>
/// <param name="Architecture">resnet18 | resnet34 | resnet50 encoder.</param>
/// <param name="Width">Channel width multiplier of the encoder (the decoder follows the encoder's stage widths).</param>
/// <param name="ImageWidth">Input width in pixels.</param>
/// <param name="ImageHeight">Input height in pixels.</param>
/// <param name="OutputFraction">Output map size as a fraction of the input, in (0, 1] (NYUD2: 0.5).</param>
/// <param name="Decoder"><see cref="DepthDecoders.Stride4"/> (the first decoder) or <see cref="DepthDecoders.Full"/>.</param>
public sealed record DepthModelSpec(
    string Architecture, double Width, int ImageWidth, int ImageHeight, double OutputFraction, string Decoder = DepthDecoders.Stride4)
{
    public const string Task = "depth";

    /// <summary>Output map width: round(ImageWidth · OutputFraction), at least 1.</summary>
    public int OutputWidth => Math.Max(1, (int)Math.Round(ImageWidth * OutputFraction));

    /// <summary>Output map height: round(ImageHeight · OutputFraction), at least 1.</summary>
    public int OutputHeight => Math.Max(1, (int)Math.Round(ImageHeight * OutputFraction));

    public void Validate()
    {
        _ = ResNetArchitecture.Parse(Architecture);
        _ = ResNetArchitecture.StageWidths(Width);
        if (ImageWidth is < 16 or > 1024 || ImageHeight is < 16 or > 1024)
            throw new ArgumentException($"--img-size must be between 16x16 and 1024x1024 (got {ImageWidth}x{ImageHeight})");
        if (!(OutputFraction > 0 && OutputFraction <= 1))
            throw new ArgumentException($"--output-fraction must be in (0, 1] (got {OutputFraction})");
        if (IsFullDecoder && OutputFraction != 1)
            throw new ArgumentException($"--decoder {DepthDecoders.Full} predicts at the input resolution: use --output-fraction 1 (got {OutputFraction})");
    }

    /// <summary>Whether the decoder reaches full resolution (<see cref="DepthDecoders.Full"/>).</summary>
    public bool IsFullDecoder => DepthDecoders.Parse(Decoder) == DepthDecoders.Full;
}

/// <summary>
/// Encoder-decoder for monocular depth. The encoder is <see cref="ResNetEncoder"/> (stages at strides 4/8/16/32 with
/// the ImageNet stem). The decoder walks back up: bilinear upsampling (align_corners false) to the next skip's size,
/// concatenation with that skip, conv3x3-BN-ReLU, down to stride 4. The <see cref="DepthDecoders.Stride4"/> decoder then
/// upsamples to the output size (<see cref="DepthModelSpec.OutputFraction"/> of the input); the
/// <see cref="DepthDecoders.Full"/> decoder takes two more skips the same way, the stem's stride-2 feature (up0) and a
/// conv3x3-BN-ReLU of the image itself (inputConv, joined by upInput), so the output is built at the input resolution.
/// Then the regression head R: conv3x3-BN-ReLU (its output is the feature map ConR sees, the paper's x1) and a final
/// conv3x3 to one channel.
/// </summary>
/// <remarks>
/// The output is Softplus(z) = log(1 + e^z) metres: smooth and strictly positive, so AbsRel, log10 and δ are defined
/// for every pixel and the gradient never dies as with ReLU. The head's bias starts at Softplus⁻¹ of the mean training
/// depth (<see cref="InitializeOutputBias"/>).
/// </remarks>
public sealed class DepthNet : Module<Tensor, (Tensor Depth, Tensor Features)>
{
    private readonly ResNetEncoder encoder;
    private readonly Sequential up3, up2, up1, refine;
    private readonly Conv2d head;

    // The full decoder's extra stages; null (so absent from the state_dict) with the stride-4 decoder, whose
    // checkpoints, seeded initial values and exported graph stay exactly as they were.
    private readonly Sequential? up0, inputConv, upInput;

    public DepthNet(DepthModelSpec spec) : base("depth")
    {
        spec.Validate();
        Spec = spec;
        encoder = new ResNetEncoder("encoder", ResNetArchitecture.Parse(spec.Architecture), spec.Width,
            StemKinds.ForImageSize(Math.Min(spec.ImageWidth, spec.ImageHeight)));
        var c = encoder.StageChannels;
        int d3 = c[2], d2 = c[1], d1 = c[0];
        // The full decoder's stages at strides 2 and 1 are the costly ones on a CPU: half the stem's width (at least
        // 16, clear of the libtorch defect under 16 output channels) keeps them from dominating the step.
        int fine = Math.Max(ResNetArchitecture.MinChannels, encoder.StemChannels / 2);
        FeatureChannels = spec.IsFullDecoder ? fine : Math.Max(8, c[0]);
        up3 = ConvBnRelu(c[3] + c[2], d3);
        up2 = ConvBnRelu(d3 + c[1], d2);
        up1 = ConvBnRelu(d2 + c[0], d1);
        int refineInput = d1;
        if (spec.IsFullDecoder)
        {
            up0 = ConvBnRelu(d1 + encoder.StemChannels, fine);
            inputConv = ConvBnRelu(3, InputConvChannels);
            upInput = ConvBnRelu(fine + InputConvChannels, fine);
            refineInput = fine;
        }
        refine = ConvBnRelu(refineInput, FeatureChannels);
        head = Conv2d(FeatureChannels, 1, 3, padding: 1);
        RegisterComponents();
        using var noGrad = no_grad();
        Sequential[] decoder = spec.IsFullDecoder ? [up3, up2, up1, refine, up0!, inputConv!, upInput!] : [up3, up2, up1, refine];
        foreach (var seq in decoder)
        {
            foreach (var module in seq.modules())
            {
                if (module is Conv2d conv) init.kaiming_normal_(conv.weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
            }
        }
    }

    public DepthModelSpec Spec { get; }

    /// <summary>Channels of the full decoder's convolution of the input image (16: the fewest the libtorch defect allows).</summary>
    public const int InputConvChannels = ResNetArchitecture.MinChannels;

    /// <summary>The ResNet encoder (what <c>--init imagenet-resnet18</c> loads).</summary>
    internal ResNetEncoder Encoder => encoder;

    /// <summary>Channels of the feature map ConR sees (the head's x1).</summary>
    public int FeatureChannels { get; }

    /// <summary>Depth [N, 1, h, w] in metres and the head's feature map [N, FeatureChannels, h, w].</summary>
    public override (Tensor Depth, Tensor Features) forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = Spec.IsFullDecoder ? DecodeToFullResolution(input) : DecodeToStride4(input);
        var features = refine.forward(x);
        var depth = functional.softplus(Head(features));
        return (depth.MoveToOuterDisposeScope(), features.MoveToOuterDisposeScope());
    }

    /// <summary>Spatial sizes (h, w) of the four encoder stages for this spec's input (for the ONNX decoder).</summary>
    public (long H, long W)[] StageSizes() => PyramidSizes()[1..];

    /// <summary>
    /// Spatial sizes (h, w) of the stem's feature before its max-pool and of the four encoder stages
    /// (<see cref="ResNetEncoder.Pyramid"/>) for this spec's input.
    /// </summary>
    public (long H, long W)[] PyramidSizes()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool wasTraining = training;
        eval();
        var p = encoder.parameters().First();
        var pyramid = encoder.Pyramid(zeros(1, 3, Spec.ImageHeight, Spec.ImageWidth, dtype: p.dtype, device: p.device));
        if (wasTraining) train();
        return pyramid.Select(t => (t.shape[2], t.shape[3])).ToArray();
    }

    /// <summary>Sets the head's bias so a zero pre-activation gives <paramref name="metres"/> (Softplus⁻¹).</summary>
    public void InitializeOutputBias(double metres)
    {
        double m = Math.Max(metres, 1e-3);
        double inverse = m > 20 ? m : Math.Log(Math.Exp(m) - 1);
        using var noGrad = no_grad();
        head.bias!.fill_(inverse);
    }

    /// <summary>
    /// The head convolution. While gradients are recorded it runs as a convolution with
    /// <see cref="ResNetArchitecture.MinChannels"/> output channels whose extra filters are zero, keeping channel 0:
    /// the same values, but clear of the libtorch defect that corrupts the input gradient of convolutions with fewer
    /// than 16 output channels on AVX-512 CPUs (docs/results.md). Inference and export use the plain convolution.
    /// </summary>
    private Tensor Head(Tensor features)
    {
        if (!is_grad_enabled()) return head.forward(features);
        long extra = ResNetArchitecture.MinChannels - head.weight!.shape[0];
        var weight = cat([head.weight, zeros([extra, .. head.weight.shape[1..]], dtype: head.weight.dtype, device: head.weight.device)], 0);
        var bias = cat([head.bias!, zeros([extra], dtype: head.bias!.dtype, device: head.bias.device)], 0);
        return functional.conv2d(features, weight, bias, padding: [1, 1])[.., ..1];
    }

    internal static Tensor Upsample(Tensor x, long h, long w) =>
        x.shape[2] == h && x.shape[3] == w
            ? x
            : functional.interpolate(x, size: [h, w], mode: InterpolationMode.Bilinear, align_corners: false);

    private Tensor DecodeToStride4(Tensor input)
    {
        var s = encoder.Stages(input);
        var x = UpCat(s[3], s[2], up3);
        x = UpCat(x, s[1], up2);
        x = UpCat(x, s[0], up1);
        return Upsample(x, Spec.OutputHeight, Spec.OutputWidth);
    }

    private Tensor DecodeToFullResolution(Tensor input)
    {
        var p = encoder.Pyramid(input);
        var x = UpCat(p[4], p[3], up3);
        x = UpCat(x, p[2], up2);
        x = UpCat(x, p[1], up1);
        x = UpCat(x, p[0], up0!);
        return UpCat(x, inputConv!.forward(input), upInput!);
    }

    private static Tensor UpCat(Tensor x, Tensor skip, Sequential block)
    {
        var up = Upsample(x, skip.shape[2], skip.shape[3]);
        return block.forward(cat([up, skip], 1));
    }

    private static Sequential ConvBnRelu(int inChannels, int outChannels) =>
        Sequential(("conv", Conv2d(inChannels, outChannels, 3, padding: 1, bias: false)), ("bn", BatchNorm2d(outChannels)), ("relu", ReLU()));
}
