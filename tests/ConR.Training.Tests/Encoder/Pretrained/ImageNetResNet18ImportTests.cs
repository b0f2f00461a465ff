using ConR.Shared.Preprocessing;
using ConR.Training.Age.Models;
using ConR.Training.Age.Models.Pretrained;
using ConR.Training.Engine;
using static ConR.Training.Tests.Age.Models.Pretrained.ImageNetSyntheticFile;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Age.Models.Pretrained;

/// <summary>
/// The initializer -> layer mapping on a synthetic set with the package's names and shapes (every tensor a constant
/// of its own), so no 64 MB file is needed; the real file is checked by <see cref="ImageNetResNet18ParityTests"/>.
/// </summary>
public sealed class ImageNetResNet18ImportTests
{
    [Fact]
    public void SyntheticFile_FillsEveryEncoderTensor_AndLeavesTheRegressorAlone()
    {
        var initializers = Synthetic(out var marks);
        using var model = NewModel();
        var before = model.RegressorParameters().Select(p => p.detach().clone()).ToList();

        Assert.Equal(110, ImageNetResNet18.LoadAsIs(model, initializers));

        var state = model.state_dict();
        var encoderKeys = state.Keys.Where(k => k.StartsWith("encoder.", StringComparison.Ordinal) && !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToList();
        Assert.Equal(110, encoderKeys.Count);
        // Each encoder tensor now holds exactly one initializer's constant, and no two hold the same one.
        var seen = encoderKeys.Select(k => ConstantOf(state[k])).ToList();
        Assert.All(seen, v => Assert.Contains(v, marks.Values));
        Assert.Equal(seen.Count, seen.Distinct().Count());
        var after = model.RegressorParameters().ToList();
        for (int i = 0; i < before.Count; i++) Assert.True(before[i].allclose(after[i], rtol: 0, atol: 0), "the regressor must stay as initialised");
    }

    [Theory]
    // Spot checks written from the doc's table, independently of the importer's own table.
    [InlineData("Parameter91", "encoder.stem.0.weight")]
    [InlineData("Parameter96", "encoder.stem.1.weight")]
    [InlineData("Parameter97", "encoder.stem.1.bias")]
    [InlineData("Constant98", "encoder.stem.1.running_mean")]
    [InlineData("Constant99", "encoder.stem.1.running_var")]
    [InlineData("Parameter82", "encoder.layer1.0.conv2.weight")]
    [InlineData("Parameter199", "encoder.layer2.0.downsample.0.weight")]
    [InlineData("Constant206", "encoder.layer2.0.downsample.1.running_var")]
    [InlineData("Parameter275", "encoder.layer3.0.downsample.0.weight")]
    [InlineData("Parameter351", "encoder.layer4.0.downsample.0.weight")]
    [InlineData("Parameter14", "encoder.layer4.2.conv1.weight")]
    [InlineData("Parameter417", "encoder.layer4.2.bn2.weight")]
    [InlineData("Parameter418", "encoder.layer4.2.bn2.bias")]
    [InlineData("Constant419", "encoder.layer4.2.bn2.running_mean")]
    [InlineData("Constant420", "encoder.layer4.2.bn2.running_var")]
    public void Initializer_LandsInItsLayer(string initializer, string key)
    {
        var initializers = Synthetic(out var marks);
        using var model = NewModel();
        ImageNetResNet18.LoadAsIs(model, initializers);
        Assert.Equal(marks[initializer], ConstantOf(model.state_dict()[key]));
    }

    [Fact]
    public void Import_FoldsTheInputConversionIntoTheStemOnly()
    {
        var initializers = Synthetic(out _);
        using var model = NewModel();
        ImageNetResNet18.Import(model, initializers, ImageSpec.Age(64));
        var state = model.state_dict();
        var raw = tensor(initializers["Parameter91"].Values).reshape(64, 3, 7, 7);
        // RGB order and 255 * std 0.5 per channel; the shift went into the stem BatchNorm's running mean.
        Assert.True(state["encoder.stem.0.weight"].allclose(raw.flip(1) * 127.5f, rtol: 1e-6, atol: 0));
        var shift = new[] { 127.5 - 123.15, 127.5 - 115.90, 127.5 - 103.06 }.Sum() * 49 * ConstantOf(raw);
        Assert.Equal(ConstantOfDouble(initializers["Constant98"]) - shift, ConstantOf(state["encoder.stem.1.running_mean"]), 3);
        Assert.Equal(ConstantOfDouble(initializers["Parameter86"]), ConstantOf(state["encoder.layer1.0.conv1.weight"]));
    }

    [Theory]
    [InlineData("resnet18", 1.0, 64, "--arch resnet18-imagenet --width 1")]
    [InlineData("resnet18-imagenet", 0.5, 64, "--arch resnet18-imagenet --width 1")]
    [InlineData("resnet18-imagenet", 1.0, 32, "--img-size 64")]
    public void OtherShapes_AreRefusedWithTheFlagsThatFit(string architecture, double width, int size, string hint)
    {
        using var model = new AgeRegressor(new ModelSpec(ModelSpec.AgeTask, architecture, width, size));
        var error = Assert.Throws<ConfigurationException>(() => ImageNetResNet18.LoadAsIs(model, new Dictionary<string, OnnxTensor>()));
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileWithOtherShapes_IsRefused_NamingTheInitializer()
    {
        var initializers = new Dictionary<string, OnnxTensor>(Synthetic(out _))
        {
            ["Parameter86"] = new OnnxTensor([64, 64, 3, 1], new float[64 * 64 * 3]),
        };
        using var model = NewModel();
        var error = Assert.Throws<ConfigurationException>(() => ImageNetResNet18.LoadAsIs(model, initializers));
        Assert.Contains("Parameter86 is 64x64x3x1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileWithoutAnInitializer_IsRefused()
    {
        var initializers = new Dictionary<string, OnnxTensor>(Synthetic(out _));
        initializers.Remove("Constant420");
        using var model = NewModel();
        var error = Assert.Throws<ConfigurationException>(() => ImageNetResNet18.LoadAsIs(model, initializers));
        Assert.Contains("no initializer Constant420", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFile_IsRefusedWithHowToGetIt()
    {
        using var model = NewModel();
        var error = Assert.Throws<ConfigurationException>(() => ImageNetResNet18.Import(model, "/nonexistent/ResNet18.onnx", ImageSpec.Age(64)));
        Assert.Contains("dotnet restore", error.Message, StringComparison.Ordinal);
    }

    private static AgeRegressor NewModel() => new(new ModelSpec(ModelSpec.AgeTask, "resnet18-imagenet", 1.0, 64));

    private static double ConstantOfDouble(OnnxTensor t) => t.Values[0];
}
