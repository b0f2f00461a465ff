using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ConR.Training.Encoder;

/// <summary>Two 3x3 convolutions with an identity (or 1x1 projection) shortcut: ResNet-18/34.</summary>
public sealed class BasicBlock : Module<Tensor, Tensor>
{
    public const int Expansion = 1;
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn1, bn2;
    private readonly Sequential? downsample;

    public BasicBlock(string name, int inChannels, int channels, int stride) : base(name)
    {
        conv1 = Conv2d(inChannels, channels, 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(channels);
        conv2 = Conv2d(channels, channels, 3, padding: 1, bias: false);
        bn2 = BatchNorm2d(channels);
        downsample = stride != 1 || inChannels != channels ? Shortcut(inChannels, channels, stride) : null;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = functional.relu(bn1.forward(conv1.forward(input)));
        x = bn2.forward(conv2.forward(x));
        var identity = downsample is null ? input : downsample.forward(input);
        return functional.relu(x + identity).MoveToOuterDisposeScope();
    }

    internal static Sequential Shortcut(int inChannels, int outChannels, int stride) =>
        Sequential(Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), BatchNorm2d(outChannels));
}

/// <summary>1x1 reduce, 3x3, 1x1 expand (x4) with a shortcut: ResNet-50.</summary>
public sealed class BottleneckBlock : Module<Tensor, Tensor>
{
    public const int Expansion = 4;
    private readonly Conv2d conv1, conv2, conv3;
    private readonly BatchNorm2d bn1, bn2, bn3;
    private readonly Sequential? downsample;

    public BottleneckBlock(string name, int inChannels, int channels, int stride) : base(name)
    {
        conv1 = Conv2d(inChannels, channels, 1, bias: false);
        bn1 = BatchNorm2d(channels);
        conv2 = Conv2d(channels, channels, 3, stride: stride, padding: 1, bias: false);
        bn2 = BatchNorm2d(channels);
        conv3 = Conv2d(channels, channels * Expansion, 1, bias: false);
        bn3 = BatchNorm2d(channels * Expansion);
        downsample = stride != 1 || inChannels != channels * Expansion ? BasicBlock.Shortcut(inChannels, channels * Expansion, stride) : null;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = functional.relu(bn1.forward(conv1.forward(input)));
        x = functional.relu(bn2.forward(conv2.forward(x)));
        x = bn3.forward(conv3.forward(x));
        var identity = downsample is null ? input : downsample.forward(input);
        return functional.relu(x + identity).MoveToOuterDisposeScope();
    }
}
