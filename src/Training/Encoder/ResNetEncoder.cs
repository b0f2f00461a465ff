using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ConR.Training.Encoder;

/// <summary>
/// A ResNet trunk from scratch (He-normal convolutions, BatchNorm gamma 1 / beta 0, as the official age code).
/// Returns the four stage outputs so the depth decoder can reuse it with skip connections.
/// </summary>
public sealed class ResNetEncoder : Module<Tensor, Tensor>
{
    private readonly Sequential stem;
    private readonly Sequential layer1, layer2, layer3, layer4;

    public ResNetEncoder(string name, ResNetArchitecture architecture, double width, StemKind stemKind) : base(name)
    {
        var widths = ResNetArchitecture.StageWidths(width);
        int expansion = architecture.Bottleneck ? BottleneckBlock.Expansion : BasicBlock.Expansion;
        stem = stemKind switch
        {
            StemKind.ImageNet => Sequential(Conv2d(3, widths[0], 7, stride: 2, padding: 3, bias: false), BatchNorm2d(widths[0]), ReLU(), MaxPool2d(3, stride: 2, padding: 1)),
            StemKind.Strided => Sequential(Conv2d(3, widths[0], 3, stride: 2, padding: 1, bias: false), BatchNorm2d(widths[0]), ReLU()),
            _ => Sequential(Conv2d(3, widths[0], 3, stride: 1, padding: 1, bias: false), BatchNorm2d(widths[0]), ReLU()),
        };
        int inChannels = widths[0];
        var layers = new Sequential[4];
        for (int s = 0; s < 4; s++)
        {
            var blocks = new List<Module<Tensor, Tensor>>();
            for (int b = 0; b < architecture.BlocksPerStage[s]; b++)
            {
                int stride = b == 0 && s > 0 ? 2 : 1;
                blocks.Add(architecture.Bottleneck
                    ? new BottleneckBlock($"block{b}", inChannels, widths[s], stride)
                    : new BasicBlock($"block{b}", inChannels, widths[s], stride));
                inChannels = widths[s] * expansion;
            }
            layers[s] = Sequential(blocks);
            StageChannels[s] = widths[s] * expansion;
        }
        (layer1, layer2, layer3, layer4) = (layers[0], layers[1], layers[2], layers[3]);
        RegisterComponents();
        Initialize();
    }

    /// <summary>Output channels of each stage; the last is the pooled feature size.</summary>
    public int[] StageChannels { get; } = new int[4];

    public int FeatureSize => StageChannels[3];

    /// <summary>The last stage's feature map.</summary>
    public override Tensor forward(Tensor input) => Stages(input)[3];

    public Tensor[] Stages(Tensor input)
    {
        var x = stem.forward(input);
        var s1 = layer1.forward(x);
        var s2 = layer2.forward(s1);
        var s3 = layer3.forward(s2);
        var s4 = layer4.forward(s3);
        return [s1, s2, s3, s4];
    }

    /// <summary>Channels of the stem's output (before its max-pool, if any).</summary>
    public int StemChannels => (int)((Conv2d)stem.children().First()).out_channels;

    /// <summary>
    /// The stem's output before its max-pool (stride 2 with the ImageNet stem) followed by the four stage outputs: the
    /// skip connections of a decoder that goes back to full resolution. Stages 1-4 equal <see cref="Stages"/>.
    /// </summary>
    public Tensor[] Pyramid(Tensor input)
    {
        var x = input;
        var stemFeature = input;
        foreach (var layer in stem.children().Cast<Module<Tensor, Tensor>>())
        {
            x = layer.forward(x);
            if (layer is not TorchSharp.Modules.MaxPool2d) stemFeature = x;
        }
        var s1 = layer1.forward(x);
        var s2 = layer2.forward(s1);
        var s3 = layer3.forward(s2);
        var s4 = layer4.forward(s3);
        return [stemFeature, s1, s2, s3, s4];
    }

    private void Initialize()
    {
        using var noGrad = no_grad();
        foreach (var module in modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    init.kaiming_normal_(conv.weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
                    break;
                case BatchNorm2d bn:
                    init.ones_(bn.weight);
                    init.zeros_(bn.bias);
                    break;
            }
        }
    }
}
