using System.Text.Json;
using System.Text.Json.Nodes;
using ConR.Shared.ModelPackage;
using ConR.Training.Depth.Models;
using ConR.Training.Depth;
using ConR.Training.Engine;

namespace ConR.Training.Tests.Depth;

/// <summary>The decoder choice through config.json and the command line: recorded, read back, trained, exported.</summary>
[Collection(SeededTorchRuns.Name)]
public sealed class DepthDecoderRunTests
{
    [Fact]
    public void ConfigWrittenBeforeTheDecoderChoice_ReadsAsTheStride4Decoder()
    {
        using var set = new TinyDepthDataSet(count: 10);
        var run = new RunDirectory(set.NewRunDir());
        Directory.CreateDirectory(run.Root);
        var json = JsonSerializer.SerializeToNode(set.Config(), RunDirectory.Json)!.AsObject();
        Assert.True(json.Remove("decoder"), "the config should record its decoder");
        File.WriteAllText(run.ConfigPath, json.ToJsonString());

        var config = DepthTrainingRun.ReadConfig(run);

        Assert.Equal(DepthDecoders.Stride4, config.Decoder);
        Assert.False(config.ModelSpec().IsFullDecoder);
    }

    [Fact]
    public void Cli_FullDecoder_TrainsRecordsAndExportsAnInputResolutionModel()
    {
        var root = Path.Combine(Path.GetTempPath(), "conr-depthfull-" + Guid.NewGuid().ToString("N"));
        try
        {
            var synth = Path.Combine(root, "synth");
            var runDir = Path.Combine(root, "run");
            var repo = Path.Combine(root, "repo");
            Assert.Equal(0, Invoke($"synth-depth --out {synth} --count 24 --size 32x24 --seed 3"));
            Assert.Equal(0, Invoke($"train depth --data {synth} --train-csv synth_train.csv --val-csv synth_val.csv --test-csv synth_test.csv " +
                                   $"--img-size 32x24 --width 0.0625 --decoder full --output-fraction 1 --batch-size 8 --epochs 1 --workers 1 --out {runDir}"));

            var saved = JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "config.json")))!;
            Assert.Equal(DepthDecoders.Full, saved["decoder"]!.GetValue<string>());
            Assert.Equal(0, Invoke($"export --run {runDir} --repo {repo} --name depth"));
            var card = ModelCardSerializer.Deserialize(File.ReadAllText(Path.Combine(repo, "depth", "1", "model.json")), "model.json");
            Assert.Equal([-1, 1, 24, 32], card.Outputs[0].Shape);
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public void Cli_FullDecoderAtHalfResolution_IsRefusedWithTheFlagThatFits()
    {
        var runDir = Path.Combine(Path.GetTempPath(), "conr-depthbad-" + Guid.NewGuid().ToString("N"));
        int code = CliInvocation.Run($"train depth --data /nonexistent --train-csv a.csv --val-csv b.csv --out {runDir} --decoder full", out var error);
        Assert.Equal(2, code);
        Assert.Contains("--output-fraction 1", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(runDir));
    }

    private static int Invoke(string args) => CliInvocation.Run(args, out _);
}
