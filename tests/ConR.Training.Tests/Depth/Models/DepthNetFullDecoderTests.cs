using ConR.Training.Depth.Models;
using ConR.Training.Encoder;
using ConR.Training.Tests.Encoder;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Depth.Models;

/// <summary>The full-resolution decoder (<c>--decoder full</c>): shapes, what reaches the output, and training safety.</summary>
[Collection(SeededTorchRuns.Name)]
public sealed class DepthNetFullDecoderTests
{
    [Theory]
    [InlineData(128, 96)] // ImageNet stem: the stride-2 stem feature comes before the max-pool
    [InlineData(40, 30)] // strided stem, odd stage sizes
    [InlineData(32, 24)] // small stem: the stem already works at full resolution
    public void Forward_GivesDepthAndFeaturesAtTheInputResolution(int w, int h)
    {
        using var scope = NewDisposeScope();
        using var model = new DepthNet(new DepthModelSpec("resnet18", 0.125, w, h, 1.0, DepthDecoders.Full));
        model.InitializeOutputBias(2.5);

        var (depth, features) = model.forward(randn(2, 3, h, w));

        Assert.Equal(new long[] { 2, 1, h, w }, depth.shape);
        Assert.Equal(new long[] { 2, model.FeatureChannels, h, w }, features.shape);
        Assert.True(depth.gt(0).all().item<bool>());
    }

    [Fact]
    public void Spec_FullDecoderBelowTheInputResolution_IsRefusedWithTheFlagThatFits()
    {
        var error = Assert.Throws<ArgumentException>(() => new DepthModelSpec("resnet18", 0.25, 64, 48, 0.5, DepthDecoders.Full).Validate());
        Assert.Contains("--output-fraction 1", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new DepthModelSpec("resnet18", 0.25, 64, 48, 1, "unet").Validate());
    }

    [Fact]
    public void Decoders_DifferOnlyInTheFullDecodersExtraStages()
    {
        using var stride4 = new DepthNet(new DepthModelSpec("resnet18", 0.125, 64, 48, 1.0));
        using var full = new DepthNet(new DepthModelSpec("resnet18", 0.125, 64, 48, 1.0, DepthDecoders.Full));
        var extra = full.state_dict().Keys.Except(stride4.state_dict().Keys).Select(k => k.Split('.')[0]).Distinct().Order();

        Assert.Equal(["inputConv", "up0", "upInput"], extra);
        Assert.DoesNotContain(stride4.state_dict().Keys, k => k.StartsWith("up0.", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryConvolutionTrainedWithGradients_HasAtLeastSixteenOutputChannels()
    {
        // The one-channel head is padded to 16 while gradients are recorded (DepthNet.Head); every other convolution
        // must be clear of the libtorch defect on its own.
        using var model = new DepthNet(new DepthModelSpec("resnet18", 0.0625, 128, 96, 1.0, DepthDecoders.Full));
        var convs = model.named_modules().Where(m => m.module is Conv2d && m.name != "head").ToList();

        Assert.Contains(convs, c => c.name.StartsWith("inputConv", StringComparison.Ordinal));
        Assert.All(convs, c => Assert.True(((Conv2d)c.module).out_channels >= ResNetArchitecture.MinChannels, $"{c.name} has {((Conv2d)c.module).out_channels} output channels"));
    }

    [Fact]
    public void TinyFullDecoderModel_RepeatedBackwardPasses_GiveIdenticalGradients()
    {
        torch.manual_seed(7);
        using var model = new DepthNet(new DepthModelSpec("resnet18", 0.0625, 64, 48, 1.0, DepthDecoders.Full));
        GradientDeterminismTests.AssertDeterministicGradients(model, randn(4, 3, 48, 64));
    }

    [Theory]
    [InlineData(DepthDecoders.Full, true)]
    [InlineData(DepthDecoders.Stride4, false)]
    public void OnePixelChange_ReachesTheOutputAtFullResolution_OnlyThroughTheFullDecoder(string decoder, bool reaches)
    {
        // With the encoder's stem zeroed every encoder feature is a constant, so what is left of the image's influence
        // is the decoder's own path from it: in the full decoder four 3x3 convolutions at full resolution (inputConv,
        // upInput, refine, head), so a change at one pixel moves the output within 4 pixels of it and nowhere else.
        const int W = 64, H = 48, Y = 20, X = 30, Reach = 4;
        torch.manual_seed(5);
        using var model = new DepthNet(new DepthModelSpec("resnet18", 0.0625, W, H, 1.0, decoder));
        model.InitializeOutputBias(2.0);
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.state_dict()["encoder.stem.0.weight"].zero_();
        var image = randn(1, 3, H, W, generator: new Generator(9));
        var changed = image.clone();
        changed[.., .., Y, X] += 5.0;

        var difference = (model.forward(changed).Depth - model.forward(image).Depth).abs()[0, 0];

        var window = difference[(Y - Reach)..(Y + Reach + 1), (X - Reach)..(X + Reach + 1)].clone();
        var outside = difference.clone();
        outside[(Y - Reach)..(Y + Reach + 1), (X - Reach)..(X + Reach + 1)] = 0f;
        Assert.Equal(0f, outside.max().item<float>());
        Assert.Equal(reaches, window.max().item<float>() > 1e-4);
    }
}
