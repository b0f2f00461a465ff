using ConR.Training.Depth.Models;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Depth.Models;

public sealed class DepthNetTests
{
    [Theory]
    [InlineData(64, 48, 0.5, 32, 24)] // ImageNet stem, NYUD2's half resolution
    [InlineData(32, 24, 1.0, 32, 24)] // small stem, full resolution
    [InlineData(40, 30, 0.25, 10, 8)] // strided stem, odd sizes
    public void Forward_GivesPositiveMetresAtTheOutputSize_AndTheHeadFeatures(int w, int h, double fraction, int ow, int oh)
    {
        using var scope = NewDisposeScope();
        using var model = new DepthNet(new DepthModelSpec("resnet18", 0.125, w, h, fraction));
        model.InitializeOutputBias(2.5);
        var (depth, features) = model.forward(randn(3, 3, h, w));
        Assert.Equal(new long[] { 3, 1, oh, ow }, depth.shape);
        Assert.Equal(new long[] { 3, model.FeatureChannels, oh, ow }, features.shape);
        Assert.True(depth.gt(0).all().item<bool>());
        Assert.Equal(ow, model.Spec.OutputWidth);
        Assert.Equal(oh, model.Spec.OutputHeight);
    }

    [Fact]
    public void Spec_RefusesSizesAndFractionsItCannotBuild()
    {
        Assert.Throws<ArgumentException>(() => new DepthModelSpec("resnet18", 0.25, 8, 48, 0.5).Validate());
        Assert.Throws<ArgumentException>(() => new DepthModelSpec("resnet18", 0.25, 64, 48, 0).Validate());
        Assert.Throws<ArgumentException>(() => new DepthModelSpec("vgg", 0.25, 64, 48, 0.5).Validate());
    }
}
