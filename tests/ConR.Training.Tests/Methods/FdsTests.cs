using ConR.Shared.Imbalance;
using ConR.Training.Age;
using ConR.Training.Age.Data;
using ConR.Training.Age.Models;
using ConR.Training.Engine;
using ConR.Training.Methods;
using ConR.Training.Tests.Age;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Methods;

[Collection(SeededTorchRuns.Name)]
public sealed class FdsTests
{
    // Five buckets (labels 0..4), a triangular window [0.5, 1, 0.5] normalised to [0.25, 0.5, 0.25].
    private static readonly FdsOptions Small = new()
    {
        Kernel = LdsKernelKind.Triang, KernelSize = 3, BucketStart = 0, BucketNum = 5, StartUpdate = 0, StartSmooth = 1, Momentum = 0.9,
    };

    [Fact]
    public void Window_IsSumNormalised()
    {
        Assert.Equal([0.25, 0.5, 0.25], Small.Window());
        Assert.Equal(1.0, new FdsOptions().Window().Sum(), 12);
    }

    [Fact]
    public void SmoothAcrossBuckets_UsesMirrorPaddingAndTheWindow()
    {
        using var scope = NewDisposeScope();
        using var fds = new Fds(2, Small);
        // Column 0: 1..5; torch "reflect" pads to [2 | 1 2 3 4 5 | 4] (the edge is not repeated).
        var stats = tensor(new float[] { 1, 10, 2, 10, 3, 10, 4, 10, 5, 10 }, [5, 2]);
        var smoothed = fds.SmoothAcrossBuckets(stats);
        Assert.Equal([1.5f, 2, 3, 4, 4.5f], smoothed[.., 0].data<float>().ToArray());
        Assert.Equal([10f, 10, 10, 10, 10], smoothed[.., 1].data<float>().ToArray());
    }

    [Fact]
    public void BucketOf_PoolsLabelsOutsideTheRangeIntoTheEndBuckets()
    {
        using var scope = NewDisposeScope();
        using var fds = new Fds(1, new FdsOptions());
        var buckets = fds.BucketOf(tensor(new float[] { 0, 3, 3.7f, 50, 99, 120 })).data<long>().ToArray();
        Assert.Equal([0L, 0, 0, 47, 96, 96], buckets);
    }

    [Fact]
    public void UpdateRunningStats_FirstEpochTakesTheEpochStatisticsThenMomentum()
    {
        using var scope = NewDisposeScope();
        using var fds = new Fds(1, Small);
        // Bucket 1: {1, 3} (mean 2, unbiased var 2); bucket 3: {5} (mean 5, biased var 0).
        fds.EndOfEpoch(tensor(new float[] { 1, 3, 5 }, [3, 1]), tensor(new float[] { 1, 1, 3 }), 0);
        Assert.Equal([0f, 2, 0, 5, 0], fds.RunningMean[.., 0].data<float>().ToArray());
        Assert.Equal([1f, 2, 1, 0, 1], fds.RunningVar[.., 0].data<float>().ToArray());

        // Epoch 1: bucket 1 sees {4, 4}: mean 0.1 * 4 + 0.9 * 2 = 2.2, var 0.1 * 0 + 0.9 * 2 = 1.8.
        fds.EndOfEpoch(tensor(new float[] { 4, 4 }, [2, 1]), tensor(new float[] { 1, 1 }), 1);
        Assert.Equal(2.2f, fds.RunningMean[1, 0].item<float>(), 5);
        Assert.Equal(1.8f, fds.RunningVar[1, 0].item<float>(), 5);
        Assert.Equal(5f, fds.RunningMean[3, 0].item<float>());
    }

    [Fact]
    public void EndOfEpoch_LastEpochStatisticsAreCopiesNotAliases()
    {
        using var scope = NewDisposeScope();
        using var fds = new Fds(1, Small);
        fds.EndOfEpoch(tensor(new float[] { 1, 3 }, [2, 1]), tensor(new float[] { 1, 1 }), 0);
        fds.EndOfEpoch(tensor(new float[] { 4, 4 }, [2, 1]), tensor(new float[] { 1, 1 }), 1);

        // The last-epoch buffers hold the statistics after epoch 0, although the running ones moved on in place.
        Assert.Equal(1, fds.Epoch);
        Assert.Equal(2f, fds.RunningMeanLastEpoch[1, 0].item<float>());
        Assert.Equal(2f, fds.RunningVarLastEpoch[1, 0].item<float>());
        Assert.Equal(2.2f, fds.RunningMean[1, 0].item<float>(), 5);
        // The smoothed statistics describe the same epoch as the raw last-epoch ones.
        var expected = fds.SmoothAcrossBuckets(fds.RunningMeanLastEpoch);
        Assert.True(expected.allclose(fds.SmoothedMeanLastEpoch, rtol: 0, atol: 0));
        // Separate storage: writing the running statistics leaves the last-epoch ones alone.
        fds.RunningMean.fill_(-7);
        Assert.Equal(2f, fds.RunningMeanLastEpoch[1, 0].item<float>());
    }

    [Fact]
    public void Smooth_CalibratesWithTheClampedVarianceRatio()
    {
        using var scope = NewDisposeScope();
        using var fds = new Fds(2, Small);
        // Bucket 2: mean (1, 1), var (4, 0); smoothed mean (2, 2), var (1, 1).
        fds.RunningMeanLastEpoch[2].copy_(tensor(new float[] { 1, 1 }));
        fds.RunningVarLastEpoch[2].copy_(tensor(new float[] { 4, 0 }));
        fds.SmoothedMeanLastEpoch[2].copy_(tensor(new float[] { 2, 2 }));
        fds.SmoothedVarLastEpoch[2].copy_(tensor(new float[] { 1, 1 }));
        var z = tensor(new float[] { 5, 5 }, [1, 2]).requires_grad_();

        var calibrated = fds.Smooth(z, tensor(new float[] { 2 }), epochIndex: 1);
        // dim 0: (5 - 1) * sqrt(clamp(1/4, 0.1, 10)) + 2 = 4; dim 1 has zero variance and passes unchanged.
        Assert.Equal([4f, 5], calibrated.data<float>().ToArray());
        calibrated.sum().backward();
        Assert.Equal([0.5f, 1], z.grad!.data<float>().ToArray());

        // Before --start-smooth the features are returned as they are.
        Assert.Same(z, fds.Smooth(z, tensor(new float[] { 2 }), epochIndex: 0));
        // A bucket never seen (variance sum 0) passes unchanged too.
        fds.RunningVarLastEpoch[0].zero_();
        Assert.Equal([5f, 5], fds.Smooth(z, tensor(new float[] { 0 }), 1).data<float>().ToArray());
    }

    [Fact]
    public void Smooth_ClampsTheRatio()
    {
        using var scope = NewDisposeScope();
        using var fds = new Fds(1, Small with { ClampLow = 0.5, ClampHigh = 2 });
        fds.RunningVarLastEpoch[1].fill_(1);
        fds.SmoothedVarLastEpoch[1].fill_(100);
        var calibrated = fds.Smooth(tensor(new float[] { 1 }, [1, 1]), tensor(new float[] { 1 }), 1);
        Assert.Equal(Math.Sqrt(2), calibrated.item<float>(), 5);
    }

    [Fact]
    public void SaveAndLoad_RoundTripsEveryBuffer()
    {
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        using var fds = new Fds(1, Small);
        fds.EndOfEpoch(tensor(new float[] { 1, 3, 5 }, [3, 1]), tensor(new float[] { 1, 1, 3 }), 0);
        fds.EndOfEpoch(tensor(new float[] { 2 }, [1, 1]), tensor(new float[] { 4 }), 1);
        var path = Path.Combine(dir.Path, "fds.bin");
        fds.save(path);

        using var loaded = new Fds(1, Small);
        loaded.load(path);
        Assert.Equal(1, loaded.Epoch);
        Assert.True(loaded.RunningMean.allclose(fds.RunningMean, rtol: 0, atol: 0));
        Assert.True(loaded.RunningVar.allclose(fds.RunningVar, rtol: 0, atol: 0));
        Assert.True(loaded.SmoothedVarLastEpoch.allclose(fds.SmoothedVarLastEpoch, rtol: 0, atol: 0));
    }

    [Fact]
    public void StatisticsPass_DoesNotChangeBatchNormStatistics()
    {
        using var data = new TinyAgeDataSet();
        var config = data.Config() with { Fds = true };
        var ageData = AgeData.Load(config, TextWriter.Null);
        using var model = new AgeRegressor(config.ModelSpec());
        // Move the running statistics away from their initial values first.
        model.train();
        using (no_grad()) model.forward(randn(8, 3, 16, 16) * 3 + 1);
        var before = model.named_buffers().Select(b => (b.name, b.buffer.clone())).ToList();
        using var fds = new Fds(model.FeatureSize, config.FdsOptions());

        AgeTrainingTask.UpdateFdsStatistics(model, fds, ageData, 0, config.Workers, CPU);

        foreach (var ((name, old), (_, now)) in before.Zip(model.named_buffers()))
        {
            Assert.True(old.allclose(now, rtol: 0, atol: 0), $"BatchNorm buffer {name} changed during the FDS statistics pass");
        }
        Assert.True(fds.RunningMean.abs().sum().item<float>() > 0, "the statistics pass collected nothing");
    }

    [Fact]
    public void Train_FdsRunInterruptedAndResumed_MatchesUninterruptedRunAndKeepsTheModelFormat()
    {
        using var data = new TinyAgeDataSet();
        var config = data.Config(epochs: 3) with { Fds = true, FdsBucketStart = 0, FdsBucketNum = 64, FdsStartSmooth = 1 };
        var ageData = AgeData.Load(config, TextWriter.Null);

        var straight = new RunDirectory(data.NewRunDir());
        var straightState = new AgeTrainer(config, straight, CPU, TextWriter.Null).Train(ageData, resume: false);

        var interrupted = new RunDirectory(data.NewRunDir());
        using (var stop = new CancellationTokenSource())
        {
            var first = new AgeTrainer(config, interrupted, CPU, TextWriter.Null);
            first.EpochCompleted += s => { if (s.CompletedEpochs == 2) stop.Cancel(); };
            Assert.Throws<OperationCanceledException>(() => first.Train(ageData, resume: false, stop.Token));
        }
        var resumedState = new AgeTrainer(config, interrupted, CPU, TextWriter.Null).Train(ageData, resume: true);

        Assert.Equal(straightState.History.Select(h => h.ValMae), resumedState.History.Select(h => h.ValMae));
        var last = straight.LastCheckpointDir()!;
        Assert.True(File.Exists(Path.Combine(last, AgeMethodState.FdsFile)));
        // The model file is a plain AgeRegressor state dict: it loads into the model eval and export use.
        using var plain = new AgeRegressor(config.ModelSpec());
        plain.load(straight.BestModelPath);
        using var fds = new Fds(plain.FeatureSize, config.FdsOptions());
        fds.load(Path.Combine(last, AgeMethodState.FdsFile));
        Assert.Equal(2, fds.Epoch);
    }
}
