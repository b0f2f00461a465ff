using ConR.Shared.Preprocessing;
using ConR.Training.Encoder.Pretrained;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConR.Training.Tests.Encoder.Pretrained;

/// <summary>
/// The folded stem on our normalised RGB input gives the source stem's response on BGR 0-255 minus the means: conv,
/// then BatchNorm in eval mode, compared where the kernel sees no padding (the border is documented as different).
/// </summary>
public sealed class StemInputFoldingTests
{
    private static readonly double[] MeansBgr = [103.06, 115.90, 123.15];

    public static TheoryData<float[], float[]> Specs => new()
    {
        { [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f] },          // the age models' spec
        { [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f] }, // ImageNet-style statistics
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void FoldedStem_OnOurInput_EqualsTheSourceStem_OnBgrMinusMeans(float[] mean, float[] std)
    {
        var spec = new ImageSpec(21, 21, mean, std);
        var generator = new TorchSharp.torch.Generator(11);
        using var scope = NewDisposeScope();
        var pixels = randint(0, 256, [2, 3, 21, 21], generator: generator).to_type(ScalarType.Float64); // RGB, 0-255
        var sourceInput = pixels.flip(1) - tensor(MeansBgr).reshape(1, 3, 1, 1);
        var ourInput = ((pixels / 255 - tensor(mean.Select(v => (double)v).ToArray()).reshape(1, 3, 1, 1))
                        / tensor(std.Select(v => (double)v).ToArray()).reshape(1, 3, 1, 1)).to_type(ScalarType.Float32);

        var weight = randn([8, 3, 7, 7], generator: generator) * 0.05f;
        var gamma = rand([8], generator: generator) + 0.5f;
        var beta = randn([8], generator: generator) * 0.2f;
        // Running statistics near the real ones, so the compared outputs are O(1) like a trained BatchNorm's.
        var sourceConv = F.conv2d(sourceInput, weight.to_type(ScalarType.Float64), strides: [2, 2]);
        var runningMean = (sourceConv.mean([0, 2, 3]) + randn([8], ScalarType.Float64, generator: generator)).to_type(ScalarType.Float32);
        var runningVar = sourceConv.var([0, 2, 3]).to_type(ScalarType.Float32);
        var expected = F.batch_norm(sourceConv, runningMean.to_type(ScalarType.Float64), runningVar.to_type(ScalarType.Float64),
            gamma.to_type(ScalarType.Float64), beta.to_type(ScalarType.Float64), training: false, eps: 1e-5);

        var (foldedWeight, foldedMean) = StemInputFolding.Fold(weight, runningMean, MeansBgr, spec);
        var actual = F.batch_norm(F.conv2d(ourInput, foldedWeight, strides: [2, 2]), foldedMean, runningVar, gamma, beta, training: false, eps: 1e-5);

        Assert.Equal(ScalarType.Float32, foldedWeight.dtype);
        Assert.True(expected.abs().max().item<double>() > 0.5, "the comparison must see non-trivial responses");
        double difference = (actual.to_type(ScalarType.Float64) - expected).abs().max().item<double>();
        Assert.True(difference <= 1e-4, $"folded stem differs by {difference:E2}");
    }

    [Fact]
    public void Fold_LeavesItsInputsUnchanged()
    {
        using var weight = ones(4, 3, 3, 3);
        using var mean = zeros(4);
        var (w, m) = StemInputFolding.Fold(weight, mean, MeansBgr, ImageSpec.Age(16));
        using (w)
        using (m)
        {
            Assert.Equal(1f, weight.max().item<float>());
            Assert.Equal(0f, mean.abs().max().item<float>());
            Assert.NotEqual(0f, m.abs().max().item<float>());
        }
    }
}
