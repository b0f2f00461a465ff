using ConR.Training.Age.Models;
using ConR.Training.Depth.Models;
using ConR.Training.Encoder;
using static TorchSharp.torch.nn;
using TorchSharp;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Encoder;

/// <summary>
/// Guards against the libtorch defect measured in docs/results.md: on AVX-512 CPUs, convolutions with fewer than 16
/// output channels return a nondeterministic (sometimes NaN) input gradient, so a tiny model's gradients changed from
/// one backward pass to the next. Stage widths are now at least 16 channels and the depth head pads itself to 16.
/// </summary>
[Collection(SeededTorchRuns.Name)]
public sealed class GradientDeterminismTests
{
    [Theory]
    [InlineData(0.01)]
    [InlineData(0.0625)]
    [InlineData(0.125)]
    public void StageWidths_NeverFallBelowSixteenChannels(double width) =>
        Assert.All(ResNetArchitecture.StageWidths(width), c => Assert.True(c >= ResNetArchitecture.MinChannels, $"{c} channels at width {width}"));

    [Fact]
    public void StageWidths_AboveTheFloor_FollowTheMultiplier() =>
        Assert.Equal([32, 64, 128, 256], ResNetArchitecture.StageWidths(0.5));

    [Fact]
    public void TinyAgeModel_RepeatedBackwardPasses_GiveIdenticalGradients()
    {
        torch.manual_seed(7);
        using var model = new AgeRegressor(new ModelSpec(ModelSpec.AgeTask, "resnet18", 0.0625, 64));
        AssertDeterministicGradients(model, randn(4, 3, 64, 64));
    }

    [Fact]
    public void TinyDepthModel_WithItsOneChannelHead_RepeatedBackwardPasses_GiveIdenticalGradients()
    {
        torch.manual_seed(7);
        using var model = new DepthNet(new DepthModelSpec("resnet18", 0.0625, 32, 24, 1.0));
        AssertDeterministicGradients(model, randn(4, 3, 24, 32));
    }

    [Fact]
    public void DepthHead_GivesTheSameDepthWithAndWithoutGradients()
    {
        torch.manual_seed(7);
        using var model = new DepthNet(new DepthModelSpec("resnet18", 0.0625, 32, 24, 1.0));
        model.eval();
        using var input = randn(2, 3, 24, 32);
        var (withGrad, _) = model.forward(input);
        Tensor withoutGrad;
        using (no_grad()) (withoutGrad, _) = model.forward(input);
        Assert.True(withGrad.allclose(withoutGrad, rtol: 1e-5, atol: 1e-6));
    }

    internal static void AssertDeterministicGradients(Module<Tensor, (Tensor, Tensor)> model, Tensor input)
    {
        model.train();
        float[][]? first = null;
        for (int pass = 0; pass < 6; pass++)
        {
            using var scope = NewDisposeScope();
            model.zero_grad();
            var (prediction, features) = model.forward(input);
            (prediction.square().sum() + features.square().sum()).backward();
            var grads = model.parameters().Select(p => p.grad!.contiguous().data<float>().ToArray()).ToArray();
            Assert.All(grads, g => Assert.All(g, v => Assert.True(float.IsFinite(v), $"pass {pass}: a gradient is {v}")));
            if (first is null)
            {
                first = grads;
                continue;
            }
            for (int i = 0; i < grads.Length; i++) Assert.Equal(first[i], grads[i]);
        }
    }
}
