using ConR.Training.Age;
using ConR.Training.Age.Losses;
using ConR.Training.Age.Models;
using ConR.Training.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Engine;

[Collection(SeededTorchRuns.Name)]
public sealed class TrainingPartsTests
{
    [Fact]
    public void DivergenceGuard_NonFiniteLoss_IsReported()
    {
        var guard = new DivergenceGuard(50);
        Assert.Null(guard.Check(3.0));
        Assert.Contains("NaN", guard.Check(double.NaN), StringComparison.Ordinal);
        Assert.NotNull(guard.Check(double.PositiveInfinity));
    }

    [Fact]
    public void DivergenceGuard_LossFarAboveRecentMedian_IsReportedOnlyAfterWarmup()
    {
        var guard = new DivergenceGuard(50, window: 50, warmup: 20);
        Assert.Null(guard.Check(1000)); // no history yet: a high first loss is normal
        for (int i = 0; i < 25; i++) Assert.Null(guard.Check(2.0));
        Assert.Null(guard.Check(99.0));
        Assert.Contains("exploded", guard.Check(101.0), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cosine", 0, 1e-3)]
    [InlineData("cosine", 6, 5e-4)]
    [InlineData("step", 0, 1e-3)]
    [InlineData("step", 8, 1e-4)]
    [InlineData("step", 11, 1e-5)]
    [InlineData("constant", 9, 1e-3)]
    public void LearningRateSchedule_At_FollowsTheSchedule(string schedule, int epoch, double expected)
    {
        Assert.Equal(expected, LearningRateSchedule.At(schedule, 1e-3, epoch, 12), 12);
    }

    [Theory]
    [InlineData(RegressionLossKind.L1, 2.0)]
    [InlineData(RegressionLossKind.Mse, 5.0)]
    [InlineData(RegressionLossKind.Huber, 1.5)]
    public void RegressionLoss_Compute_MatchesHandValues(RegressionLossKind kind, double expected)
    {
        using var scope = NewDisposeScope();
        // errors: +1, -3 ; L1 = 2, MSE = 5, Huber(beta 1) = (0.5 + 2.5) / 2.
        var loss = RegressionLoss.Compute(kind, tensor(new float[] { 2, 1 }), tensor(new float[] { 1, 4 }), null);
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void RegressionLoss_Weights_ScaleEachElement()
    {
        using var scope = NewDisposeScope();
        var loss = RegressionLoss.Compute(RegressionLossKind.L1, tensor(new float[] { 2, 1 }), tensor(new float[] { 1, 4 }), tensor(new float[] { 3, 0 }));
        Assert.Equal(1.5, loss.item<float>(), 5);
    }

    [Fact]
    public void RegressionLoss_FocalL1_DownweightsSmallErrors()
    {
        using var scope = NewDisposeScope();
        var small = RegressionLoss.Compute(RegressionLossKind.FocalL1, tensor(new float[] { 1 }), tensor(new float[] { 0 }), null).item<float>();
        var large = RegressionLoss.Compute(RegressionLossKind.FocalL1, tensor(new float[] { 30 }), tensor(new float[] { 0 }), null).item<float>();
        Assert.Equal(1 * (2 / (1 + Math.Exp(-0.2)) - 1), small, 5);
        Assert.True(large > 29 && large < 30);
    }

    [Theory]
    [InlineData("resnet18", 1.0, 512)]
    [InlineData("resnet34", 0.25, 128)]
    [InlineData("resnet50", 0.125, 256)]
    public void AgeRegressor_Forward_GivesOnePredictionAndPooledFeatures(string arch, double width, int featureSize)
    {
        using var scope = NewDisposeScope();
        using var model = new AgeRegressor(new ModelSpec(ModelSpec.AgeTask, arch, width, 32));
        var (prediction, features) = model.forward(randn(3, 3, 32, 32));
        Assert.Equal(new long[] { 3, 1 }, prediction.shape);
        Assert.Equal(new long[] { 3, featureSize }, features.shape);
        Assert.Equal(featureSize, model.FeatureSize);
    }

    [Fact]
    public void Bf16Shadow_PushGradients_GivesMasterTheShadowGradientsInFloat32()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(1);
        var spec = new ModelSpec(ModelSpec.AgeTask, "resnet18", 0.25, 32);
        using var master = new AgeRegressor(spec);
        using var shadow = new Bf16Shadow<AgeRegressor>(master, new AgeRegressor(spec), CPU);
        var input = randn(16, 3, 32, 32);

        master.train();
        shadow.Shadow.train();
        var (reference, _) = master.forward(input);
        reference.sum().backward();
        var expected = master.parameters().Select(p => p.grad!.clone()).ToArray();
        master.zero_grad();

        shadow.PullWeights();
        var (prediction, _) = shadow.Shadow.forward(input.to_type(ScalarType.BFloat16));
        prediction.to_type(ScalarType.Float32).sum().backward();
        shadow.PushGradients();

        var actual = master.parameters().Select(p => p.grad!).ToArray();
        Assert.All(actual, g => Assert.Equal(ScalarType.Float32, g.dtype));
        // bfloat16 keeps ~3 significant digits, so compare directions: the whole gradient must point the same way.
        var flatExpected = cat(expected.Select(g => g.flatten()).ToArray());
        var flatActual = cat(actual.Select(g => g.flatten()).ToArray());
        double cosine = nn.functional.cosine_similarity(flatExpected.unsqueeze(0), flatActual.unsqueeze(0)).item<float>();
        Assert.True(cosine > 0.95, $"bf16 gradient direction differs from fp32: cosine {cosine}");
        double norms = (flatActual.norm() / flatExpected.norm()).item<float>();
        Assert.InRange(norms, 0.8, 1.25);
    }

    [Fact]
    public void TensorFromArray_CopiesTheBuffer_SoTheTrainerMayRecycleBatches()
    {
        using var scope = NewDisposeScope();
        var buffer = new float[] { 1, 2, 3, 4 };
        var t = tensor(buffer, [2, 2]);
        buffer[0] = 99;
        Assert.Equal(1f, t[0, 0].item<float>());
    }

    [Fact]
    public void RunDirectory_InterruptedCheckpointWrite_LeavesPreviousCheckpointCurrent()
    {
        var root = Path.Combine(Path.GetTempPath(), "conr-rundir-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = new RunDirectory(root);
            run.CommitCheckpoint(1, dir => File.WriteAllText(Path.Combine(dir, "model.bin"), "one"));
            // A kill in the middle of the next write leaves only a .tmp folder behind.
            Directory.CreateDirectory(Path.Combine(run.CheckpointsDir, "epoch-0002.tmp"));
            Assert.EndsWith("epoch-0001", run.LastCheckpointDir()!, StringComparison.Ordinal);

            run.CommitCheckpoint(2, dir => File.WriteAllText(Path.Combine(dir, "model.bin"), "two"));
            Assert.EndsWith("epoch-0002", run.LastCheckpointDir()!, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(run.CheckpointsDir, "epoch-0001")));
            Assert.Equal("two", File.ReadAllText(Path.Combine(run.LastCheckpointDir()!, "model.bin")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void AgeTrainConfig_JsonRoundTrip_IsEqual()
    {
        var config = new AgeTrainConfig { DataDir = "/d", CsvPath = "/d/x.csv", ConR = true, Reweight = "sqrt_inv", Lds = true, Precision = "bf16" };
        var path = Path.GetTempFileName();
        try
        {
            RunDirectory.WriteJsonAtomic(path, config);
            Assert.Equal(config, RunDirectory.ReadJson<AgeTrainConfig>(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
