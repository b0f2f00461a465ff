using ConR.Training.Depth.Models;
using ConR.Training.Encoder.Pretrained;
using ConR.Training.Engine;
using static ConR.Training.Tests.Encoder.Pretrained.ImageNetSyntheticFile;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Depth.Models;

/// <summary>
/// <c>train depth --init imagenet-resnet18</c> through the encoder's importer, on the synthetic stand-in for the package's
/// file (its names and shapes, each tensor a constant of its own); the real file is checked by the parity tests.
/// </summary>
[Collection(SeededTorchRuns.Name)]
public sealed class DepthImageNetInitTests
{
    [Fact]
    public void SyntheticFile_FillsEveryEncoderTensor_AndLeavesTheDecoderAlone()
    {
        var initializers = Synthetic(out var marks);
        using var model = NewModel();
        var decoderBefore = DecoderState(model);

        Assert.Equal(110, DepthImageNetInit.Import(model, initializers));

        var state = model.state_dict();
        var encoderKeys = state.Keys.Where(k => k.StartsWith("encoder.", StringComparison.Ordinal) && !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToList();
        Assert.Equal(110, encoderKeys.Count);
        // The stem's weight and running mean are folded for the input (below); every other tensor is its initializer.
        var copied = encoderKeys.Where(k => k is not ("encoder.stem.0.weight" or "encoder.stem.1.running_mean")).Select(k => ConstantOf(state[k])).ToList();
        Assert.All(copied, v => Assert.Contains(v, marks.Values));
        Assert.Equal(copied.Count, copied.Distinct().Count());
        Assert.Equal(marks["Parameter417"], ConstantOf(state["encoder.layer4.2.bn2.weight"]));
        foreach (var (name, before) in decoderBefore)
            Assert.True(before.equal(state[name]).all().item<bool>(), $"{name} is not the encoder's and must stay as initialised");
    }

    [Fact]
    public void Import_FoldsTheImageNetNormalisationOfTheDepthInputIntoTheStem()
    {
        var initializers = Synthetic(out _);
        using var model = NewModel();

        DepthImageNetInit.Import(model, initializers);

        // The depth input is RGB (x / 255 - mean) / std with ImageNet's per-channel std: the file's BGR stem, flipped to
        // RGB, scaled by 255 * std of each RGB channel.
        var raw = tensor(initializers["Parameter91"].Values).reshape(64, 3, 7, 7);
        var scale = tensor(new[] { 255 * 0.229f, 255 * 0.224f, 255 * 0.225f }).reshape(1, 3, 1, 1);
        Assert.True(model.state_dict()["encoder.stem.0.weight"].allclose(raw.flip(1) * scale, rtol: 1e-6, atol: 0));
        double shift = (((255 * 0.485) - 123.15) + ((255 * 0.456) - 115.90) + ((255 * 0.406) - 103.06)) * 49 * ConstantOf(raw);
        Assert.Equal(initializers["Constant98"].Values[0] - shift, ConstantOf(model.state_dict()["encoder.stem.1.running_mean"]), 3);
    }

    [Theory]
    [InlineData("resnet18", 1.0, 128, 96, "--arch resnet18-imagenet --width 1")]
    [InlineData("resnet18-imagenet", 0.25, 128, 96, "--arch resnet18-imagenet --width 1")]
    [InlineData("resnet18-imagenet", 1.0, 64, 48, "128x96")] // shorter side 48: the strided stem, not ImageNet's
    public void OtherShapes_AreRefusedWithTheFlagsThatFit(string architecture, double width, int w, int h, string hint)
    {
        using var model = new DepthNet(new DepthModelSpec(architecture, width, w, h, 1.0, DepthDecoders.Full));
        var error = Assert.Throws<ConfigurationException>(() => DepthImageNetInit.Import(model, new Dictionary<string, OnnxTensor>()));
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_InitWithoutTheImageNetLayout_IsRefusedBeforeAnythingIsWritten()
    {
        var runDir = Path.Combine(Path.GetTempPath(), "conr-depthbad-" + Guid.NewGuid().ToString("N"));
        int code = CliInvocation.Run($"train depth --data /nonexistent --train-csv a.csv --val-csv b.csv --out {runDir} --init imagenet-resnet18 --img-size 128x96", out var error);
        Assert.Equal(2, code);
        Assert.Contains("--arch resnet18-imagenet --width 1", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(runDir));
    }

    private static DepthNet NewModel() => new(new DepthModelSpec("resnet18-imagenet", 1.0, 128, 96, 1.0, DepthDecoders.Full));

    private static List<(string Name, Tensor Value)> DecoderState(DepthNet model) =>
        model.state_dict().Where(p => !p.Key.StartsWith("encoder.", StringComparison.Ordinal)).Select(p => (p.Key, p.Value.clone())).ToList();
}
