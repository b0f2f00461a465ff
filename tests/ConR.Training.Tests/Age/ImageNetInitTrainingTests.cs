using System.Text.Json.Nodes;
using ConR.Training.Age;
using ConR.Training.Encoder.Pretrained;
using ConR.Training.Tests.Encoder.Pretrained;

namespace ConR.Training.Tests.Age;

/// <summary>`train age --init imagenet-resnet18` end to end on a tiny data set: loaded, recorded, trained, evaluated.</summary>
[Collection(SeededTorchRuns.Name)]
public sealed class ImageNetInitTrainingTests
{
    [ImageNetWeightsFact]
    public void ImageNetInitRun_LoadsTheWeights_AndRecordsTheInit()
    {
        using var data = new TinyAgeDataSet(train: 16, val: 4, test: 4);
        var runDir = data.NewRunDir();
        var log = new StringWriter();
        var config = data.Config(epochs: 1) with
        {
            Init = ImageNetResNet18.InitName, Architecture = "resnet18-imagenet", Width = 1, ImageSize = 64, Precision = "fp32",
        };

        int code = AgeTrainingRun.Execute(config, runDir, resume: false, "cpu", log);

        Assert.Equal(0, code);
        Assert.Contains("Init: loaded 110 ImageNet tensors", log.ToString(), StringComparison.Ordinal);
        var saved = JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "config.json")))!;
        Assert.Equal(ImageNetResNet18.InitName, saved["init"]!.GetValue<string>());
    }
}
