using ConR.Shared.Preprocessing;
using ConR.Training.Age.Models;
using ConR.Training.Encoder.Pretrained;
using ConR.Training.Engine;
using static ConR.Training.Tests.Encoder.Pretrained.ImageNetSyntheticFile;

namespace ConR.Training.Tests.Age.Models;

/// <summary>
/// <c>train age --init imagenet-resnet18</c> through the encoder's importer, on the synthetic stand-in for the
/// package's file; the mapping itself is tested with the importer (Encoder/Pretrained).
/// </summary>
public sealed class AgeImageNetInitTests
{
    [Fact]
    public void SyntheticFile_FillsTheEncoder_AndLeavesTheRegressorAlone()
    {
        var initializers = Synthetic(out var marks);
        using var model = NewModel();
        var before = model.RegressorParameters().Select(p => p.detach().clone()).ToList();

        Assert.Equal(110, AgeImageNetInit.Import(model, initializers, ImageSpec.Age(64)));

        Assert.Equal(marks["Parameter417"], ConstantOf(model.state_dict()["encoder.layer4.2.bn2.weight"]));
        var after = model.RegressorParameters().ToList();
        for (int i = 0; i < before.Count; i++) Assert.True(before[i].allclose(after[i], rtol: 0, atol: 0), "the regressor must stay as initialised");
    }

    [Theory]
    [InlineData("resnet18", 1.0, 64, "--arch resnet18-imagenet --width 1")]
    [InlineData("resnet18-imagenet", 0.5, 64, "--arch resnet18-imagenet --width 1")]
    [InlineData("resnet18-imagenet", 1.0, 32, "--img-size 64")]
    public void OtherShapes_AreRefusedWithTheFlagsThatFit(string architecture, double width, int size, string hint)
    {
        using var model = new AgeRegressor(new ModelSpec(ModelSpec.AgeTask, architecture, width, size));
        var error = Assert.Throws<ConfigurationException>(() => AgeImageNetInit.Import(model, new Dictionary<string, OnnxTensor>(), ImageSpec.Age(size)));
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFile_IsRefusedWithHowToGetIt()
    {
        using var model = NewModel();
        var error = Assert.Throws<ConfigurationException>(() => AgeImageNetInit.Import(model, "/nonexistent/ResNet18.onnx", ImageSpec.Age(64)));
        Assert.Contains("dotnet restore", error.Message, StringComparison.Ordinal);
    }

    private static AgeRegressor NewModel() => new(new ModelSpec(ModelSpec.AgeTask, "resnet18-imagenet", 1.0, 64));
}
