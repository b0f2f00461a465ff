using System.Text.Json.Nodes;
using ConR.Training.Depth.Models;
using ConR.Training.Depth;
using ConR.Training.Encoder.Pretrained;
using ConR.Training.Tests.Encoder.Pretrained;

namespace ConR.Training.Tests.Depth;

/// <summary>`train depth --init imagenet-resnet18` end to end on a tiny data set: loaded, recorded, trained, evaluated.</summary>
[Collection(SeededTorchRuns.Name)]
public sealed class DepthImageNetInitTrainingTests
{
    [ImageNetWeightsFact]
    public void ImageNetInitRun_LoadsTheWeights_AndRecordsTheInit()
    {
        // 64x64: the smallest input with the ImageNet stem; the full decoder, as the runs will use.
        using var set = new TinyDepthDataSet(count: 12, width: 64, height: 64);
        var runDir = set.NewRunDir();
        var log = new StringWriter();
        var config = set.Config(epochs: 1) with
        {
            Init = ImageNetResNet18.InitName, Architecture = "resnet18-imagenet", Width = 1, Decoder = DepthDecoders.Full, OutputFraction = 1, BatchSize = 4,
        };

        int code = DepthTrainingRun.Execute(config, runDir, resume: false, "cpu", log);

        Assert.Equal(0, code);
        Assert.Contains("Init: loaded 110 ImageNet tensors", log.ToString(), StringComparison.Ordinal);
        var saved = JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "config.json")))!;
        Assert.Equal(ImageNetResNet18.InitName, saved["init"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(runDir, "reports", "eval-val.json")));
    }
}
