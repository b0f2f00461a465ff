using ConR.Shared.Preprocessing;
using ConR.Training.Encoder;
using ConR.Training.Encoder.Pretrained;
using ConR.Training.Engine;
using static ConR.Training.Tests.Encoder.Pretrained.ImageNetSyntheticFile;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Encoder.Pretrained;

/// <summary>
/// The initializer -> layer mapping on a synthetic set with the package's names and shapes (every tensor a constant
/// of its own), so no 64 MB file is needed; the real file is checked by <see cref="ImageNetResNet18ParityTests"/>.
/// What each task's model adds (its own head left alone, its flags) is tested with the task.
/// </summary>
public sealed class ImageNetResNet18ImportTests
{
    [Fact]
    public void SyntheticFile_FillsEveryEncoderTensor()
    {
        var initializers = Synthetic(out var marks);
        using var encoder = NewEncoder();

        Assert.Equal(110, ImageNetResNet18.LoadAsIs(encoder, initializers));

        var state = encoder.state_dict();
        var keys = state.Keys.Where(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToList();
        Assert.Equal(110, keys.Count);
        // Each encoder tensor now holds exactly one initializer's constant, and no two hold the same one.
        var seen = keys.Select(k => ConstantOf(state[k])).ToList();
        Assert.All(seen, v => Assert.Contains(v, marks.Values));
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Theory]
    // Spot checks written from the doc's table, independently of the importer's own table.
    [InlineData("Parameter91", "stem.0.weight")]
    [InlineData("Parameter96", "stem.1.weight")]
    [InlineData("Parameter97", "stem.1.bias")]
    [InlineData("Constant98", "stem.1.running_mean")]
    [InlineData("Constant99", "stem.1.running_var")]
    [InlineData("Parameter82", "layer1.0.conv2.weight")]
    [InlineData("Parameter199", "layer2.0.downsample.0.weight")]
    [InlineData("Constant206", "layer2.0.downsample.1.running_var")]
    [InlineData("Parameter275", "layer3.0.downsample.0.weight")]
    [InlineData("Parameter351", "layer4.0.downsample.0.weight")]
    [InlineData("Parameter14", "layer4.2.conv1.weight")]
    [InlineData("Parameter417", "layer4.2.bn2.weight")]
    [InlineData("Parameter418", "layer4.2.bn2.bias")]
    [InlineData("Constant419", "layer4.2.bn2.running_mean")]
    [InlineData("Constant420", "layer4.2.bn2.running_var")]
    public void Initializer_LandsInItsLayer(string initializer, string key)
    {
        var initializers = Synthetic(out var marks);
        using var encoder = NewEncoder();
        ImageNetResNet18.LoadAsIs(encoder, initializers);
        Assert.Equal(marks[initializer], ConstantOf(encoder.state_dict()[key]));
    }

    [Fact]
    public void Import_FoldsTheInputConversionIntoTheStemOnly()
    {
        var initializers = Synthetic(out _);
        using var encoder = NewEncoder();
        ImageNetResNet18.Import(encoder, initializers, ImageSpec.Age(64));
        var state = encoder.state_dict();
        var raw = tensor(initializers["Parameter91"].Values).reshape(64, 3, 7, 7);
        // RGB order and 255 * std 0.5 per channel; the shift went into the stem BatchNorm's running mean.
        Assert.True(state["stem.0.weight"].allclose(raw.flip(1) * 127.5f, rtol: 1e-6, atol: 0));
        var shift = new[] { 127.5 - 123.15, 127.5 - 115.90, 127.5 - 103.06 }.Sum() * 49 * ConstantOf(raw);
        Assert.Equal(ConstantOfDouble(initializers["Constant98"]) - shift, ConstantOf(state["stem.1.running_mean"]), 3);
        Assert.Equal(ConstantOfDouble(initializers["Parameter86"]), ConstantOf(state["layer1.0.conv1.weight"]));
    }

    [Theory]
    [InlineData("resnet18", 1.0, 64, "--arch resnet18-imagenet --width 1")]
    [InlineData("resnet18-imagenet", 0.5, 64, "--arch resnet18-imagenet --width 1")]
    [InlineData("resnet18-imagenet", 1.0, 32, "the size that fits")]
    public void CheckShape_RefusesOtherShapes_WithTheFlagsThatFit(string architecture, double width, int shorterSide, string hint)
    {
        var error = Assert.Throws<ConfigurationException>(() => ImageNetResNet18.CheckShape(architecture, width, shorterSide, "the size that fits", "the size given"));
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileWithOtherShapes_IsRefused_NamingTheInitializer()
    {
        var initializers = new Dictionary<string, OnnxTensor>(Synthetic(out _))
        {
            ["Parameter86"] = new OnnxTensor([64, 64, 3, 1], new float[64 * 64 * 3]),
        };
        using var encoder = NewEncoder();
        var error = Assert.Throws<ConfigurationException>(() => ImageNetResNet18.LoadAsIs(encoder, initializers));
        Assert.Contains("Parameter86 is 64x64x3x1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileWithoutAnInitializer_IsRefused()
    {
        var initializers = new Dictionary<string, OnnxTensor>(Synthetic(out _));
        initializers.Remove("Constant420");
        using var encoder = NewEncoder();
        var error = Assert.Throws<ConfigurationException>(() => ImageNetResNet18.LoadAsIs(encoder, initializers));
        Assert.Contains("no initializer Constant420", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFile_IsRefusedWithHowToGetIt()
    {
        var error = Assert.Throws<ConfigurationException>(() => ImageNetResNet18.ReadFile("/nonexistent/ResNet18.onnx"));
        Assert.Contains("dotnet restore", error.Message, StringComparison.Ordinal);
    }

    private static ResNetEncoder NewEncoder() => new("encoder", ResNetArchitecture.ResNet18ImageNet, 1.0, StemKind.ImageNet);

    private static double ConstantOfDouble(OnnxTensor t) => t.Values[0];
}
