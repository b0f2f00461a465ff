using ConR.Training.Age;
using ConR.Training.Age.Data;
using ConR.Training.Age.Models;
using ConR.Training.Engine;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Age;

[Collection(SeededTorchRuns.Name)]
public sealed class AgeTrainerTests
{
    [Fact]
    public void Train_InterruptedAfterOneEpochThenResumed_MatchesUninterruptedRun()
    {
        using var data = new TinyAgeDataSet();
        var config = data.Config(conr: true, epochs: 2);
        var ageData = AgeData.Load(config, TextWriter.Null);

        var straight = new RunDirectory(data.NewRunDir());
        var straightState = new AgeTrainer(config, straight, CPU, TextWriter.Null).Train(ageData, resume: false);

        var interrupted = new RunDirectory(data.NewRunDir());
        using (var stop = new CancellationTokenSource())
        {
            var first = new AgeTrainer(config, interrupted, CPU, TextWriter.Null);
            first.EpochCompleted += _ => stop.Cancel();
            Assert.Throws<OperationCanceledException>(() => first.Train(ageData, resume: false, stop.Token));
        }
        Assert.Contains("epoch-0001", interrupted.LastCheckpointDir()!, StringComparison.Ordinal);
        var resumedState = new AgeTrainer(config, interrupted, CPU, TextWriter.Null).Train(ageData, resume: true);

        Assert.Equal(2, resumedState.CompletedEpochs);
        Assert.Equal(straightState.History.Select(h => h.ValMae), resumedState.History.Select(h => h.ValMae));
        Assert.Equal(straightState.History.Select(h => h.TrainConRLoss), resumedState.History.Select(h => h.TrainConRLoss));
        AssertSameWeights(config, Path.Combine(straight.LastCheckpointDir()!, "model.bin"), Path.Combine(interrupted.LastCheckpointDir()!, "model.bin"));
    }

    [Fact]
    public void Train_LossTurnsNonFinite_StopsWithMessageAndKeepsLastGoodCheckpoint()
    {
        using var data = new TinyAgeDataSet();
        var config = data.Config(epochs: 3);
        var ageData = AgeData.Load(config, TextWriter.Null);
        var run = new RunDirectory(data.NewRunDir());
        using (var stop = new CancellationTokenSource())
        {
            var first = new AgeTrainer(config, run, CPU, TextWriter.Null);
            first.EpochCompleted += _ => stop.Cancel();
            Assert.Throws<OperationCanceledException>(() => first.Train(ageData, resume: false, stop.Token));
        }
        var good = run.LastCheckpointDir()!;

        // An absurd learning rate sends the weights to infinity within a few steps.
        var exploding = config with { LearningRate = 1e38 };
        var error = Assert.Throws<TrainingDivergedException>(() => new AgeTrainer(exploding, run, CPU, TextWriter.Null).Train(ageData, resume: true));

        Assert.Contains("epoch 2", error.Message, StringComparison.Ordinal);
        Assert.Contains(good, error.Message, StringComparison.Ordinal);
        Assert.Equal(good, run.LastCheckpointDir());
        Assert.Equal(1, RunStateFile.Read<AgeEpochRecord>(good).CompletedEpochs);
    }

    [Fact]
    public void Train_TrainSplitSmallerThanABatch_IsRefusedBeforeAnyCheckpoint()
    {
        using var data = new TinyAgeDataSet();
        var config = data.Config(epochs: 1) with { BatchSize = 64 };
        var run = new RunDirectory(data.NewRunDir());

        var error = Assert.Throws<ConfigurationException>(() => new AgeTrainer(config, run, CPU, TextWriter.Null).Train(AgeData.Load(config, TextWriter.Null), resume: false));

        Assert.Equal("the train split has 48 images, fewer than --batch-size 64", error.Message);
        Assert.Null(run.LastCheckpointDir());
    }

    [Fact]
    public void Train_FolderAlreadyHoldsRunWithoutResume_IsRefused()
    {
        using var data = new TinyAgeDataSet();
        var config = data.Config(epochs: 1);
        var ageData = AgeData.Load(config, TextWriter.Null);
        var run = new RunDirectory(data.NewRunDir());
        new AgeTrainer(config, run, CPU, TextWriter.Null).Train(ageData, resume: false);

        var error = Assert.Throws<ConfigurationException>(() => new AgeTrainer(config, run, CPU, TextWriter.Null).Train(ageData, resume: false));
        Assert.Contains("--resume", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_BestEpoch_IsChosenOnValidation()
    {
        using var data = new TinyAgeDataSet();
        var config = data.Config(epochs: 3);
        var state = new AgeTrainer(config, new RunDirectory(data.NewRunDir()), CPU, TextWriter.Null).Train(AgeData.Load(config, TextWriter.Null), resume: false);

        var bestByVal = state.History.MinBy(h => h.ValMae)!;
        Assert.Equal(bestByVal.Epoch, state.BestEpoch);
        Assert.Equal(bestByVal.ValMae, state.BestValue);
    }

    private static void AssertSameWeights(AgeTrainConfig config, string pathA, string pathB)
    {
        using var a = new AgeRegressor(config.ModelSpec());
        using var b = new AgeRegressor(config.ModelSpec());
        a.load(pathA);
        b.load(pathB);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
        {
            Assert.True(pa.allclose(pb, rtol: 0, atol: 0), $"parameter {name} differs after resume");
        }
    }
}
