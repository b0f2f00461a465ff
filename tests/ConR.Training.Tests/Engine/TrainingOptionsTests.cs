using System.Text.Json;
using ConR.Training.Age;
using ConR.Training.Depth;
using ConR.Training.Engine;

namespace ConR.Training.Tests.Engine;

/// <summary>The shared training settings: one declaration, each task's defaults, one validation.</summary>
public sealed class TrainingOptionsTests
{
    [Fact]
    public void ConfigJsonWithoutTheSharedSettings_ReadsAsEachTasksDefaults()
    {
        // A config.json that names only the task's own required settings: the shared ones come from the task's defaults.
        var age = JsonSerializer.Deserialize<AgeTrainConfig>("""{ "dataDir": "/d", "csvPath": "/d/x.csv" }""", RunDirectory.Json)!;
        var depth = JsonSerializer.Deserialize<DepthTrainConfig>("""{ "dataDir": "/d", "trainCsv": "/d/t.csv", "valCsv": "/d/v.csv" }""", RunDirectory.Json)!;

        Assert.Equal((64, 4.0, 1.0, 0.07, 0.01, "OfficialAge"), (age.BatchSize, age.Beta, age.Window, age.Temperature, age.PushingScale, age.ConRVariant));
        Assert.Equal((32, 0.2, 0.2, 0.2, 0.2, "OfficialDepth"), (depth.BatchSize, depth.Beta, depth.Window, depth.Temperature, depth.PushingScale, depth.ConRVariant));
        foreach (TrainingOptions shared in new TrainingOptions[] { age, depth })
        {
            Assert.Equal((10, 1e-3, "cosine", 0.0, 1, 2, "fp32", 50.0), (shared.Epochs, shared.LearningRate, shared.Schedule, shared.WeightDecay, shared.Seed, shared.Workers, shared.Precision, shared.ExplodeFactor));
            Assert.Equal(("none", false, "gaussian", 5, 2.0, false), (shared.Reweight, shared.Lds, shared.LdsKernel, shared.LdsKernelSize, shared.LdsSigma, shared.ConR));
        }
    }

    [Fact]
    public void DepthTrainConfig_JsonRoundTrip_IsEqual()
    {
        var config = new DepthTrainConfig { DataDir = "/d", TrainCsv = "/d/t.csv", ValCsv = "/d/v.csv", ConR = true, Beta = 0.5, Reweight = "inverse", Lds = true, Precision = "bf16" };
        Assert.Equal(config, JsonSerializer.Deserialize<DepthTrainConfig>(JsonSerializer.Serialize(config, RunDirectory.Json), RunDirectory.Json));
    }

    [Theory]
    [InlineData("lr", "--lr must be positive")]
    [InlineData("lds", "--lds smooths the re-weighting")]
    [InlineData("ldsKernel", "--lds-kernel must be gaussian, triang or laplace")]
    [InlineData("ldsKs", "kernel size")]
    [InlineData("schedule", "--schedule must be cosine, step or constant")]
    [InlineData("beta", "--beta must be >= 0")]
    [InlineData("tau", "temperature")]
    [InlineData("explode", "--explode-factor must be greater than 1")]
    [InlineData("workers", "--workers must be at least 1")]
    [InlineData("batch", "--batch-size must be at least 2")]
    public void SharedSettingThatDoesNotFit_IsRefusedWithTheSameMessageByEveryTask(string setting, string expected)
    {
        TrainingOptions Break(TrainingOptions config) => setting switch
        {
            "lr" => config with { LearningRate = 0 },
            "lds" => config with { Lds = true },
            "ldsKernel" => config with { LdsKernel = "box" },
            "ldsKs" => config with { Reweight = "inverse", Lds = true, LdsKernelSize = 4 },
            "schedule" => config with { Schedule = "linear" },
            "beta" => config with { Beta = -1 },
            "tau" => config with { Temperature = 0 },
            "explode" => config with { ExplodeFactor = 1 },
            "workers" => config with { Workers = 0 },
            _ => config with { BatchSize = 1 },
        };
        var age = (AgeTrainConfig)Break(new AgeTrainConfig { DataDir = "/d", CsvPath = "/d/x.csv" });
        var depth = (DepthTrainConfig)Break(new DepthTrainConfig { DataDir = "/d", TrainCsv = "/d/t.csv", ValCsv = "/d/v.csv" });

        Assert.Contains(expected, Assert.Throws<ConfigurationException>(age.Validate).Message, StringComparison.Ordinal);
        Assert.Contains(expected, Assert.Throws<ConfigurationException>(depth.Validate).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Precision_AutoFp32AndBf16_AreEveryTasksChoices_AndNothingElse()
    {
        foreach (var precision in new[] { PrecisionChoice.Auto, TrainingOptions.Fp32, TrainingOptions.Bf16 })
        {
            new AgeTrainConfig { DataDir = "/d", CsvPath = "/d/x.csv", Precision = precision }.Validate();
            new DepthTrainConfig { DataDir = "/d", TrainCsv = "/d/t.csv", ValCsv = "/d/v.csv", Precision = precision }.Validate();
        }

        var age = new AgeTrainConfig { DataDir = "/d", CsvPath = "/d/x.csv", Precision = "fp16" };
        var depth = new DepthTrainConfig { DataDir = "/d", TrainCsv = "/d/t.csv", ValCsv = "/d/v.csv", Precision = "fp16" };
        Assert.Equal("--precision must be auto, fp32 or bf16", Assert.Throws<ConfigurationException>(age.Validate).Message);
        Assert.Equal("--precision must be auto, fp32 or bf16", Assert.Throws<ConfigurationException>(depth.Validate).Message);
    }
}
