using ConR.Training.Engine;

namespace ConR.Training.Tests.Engine;

/// <summary>The epoch driver on the smallest task there is (<see cref="LineFitTask"/>), apart from either real task.</summary>
[Collection(SeededTorchRuns.Name)]
public sealed class EpochDriverTests
{
    [Fact]
    public void Train_ChoosesTheBestEpochByTheTasksRule_AndCommitsEveryEpoch()
    {
        using var dir = new TempDir();
        var run = new RunDirectory(Path.Combine(dir.Path, "run"));
        double[] scores = [3.0, 1.0, 2.0];

        var state = Driver(run, epochs: 3).Train(() => new LineFitTask(epoch => scores[epoch]), resume: false);

        Assert.Equal((3, 2, 1.0, "valMse"), (state.CompletedEpochs, state.BestEpoch, state.BestValue, state.BestMetric));
        Assert.Equal(scores, state.History.Select(h => h.ValMse));
        Assert.Equal([1, 2, 3], state.History.Select(h => h.Epoch));
        Assert.EndsWith("epoch-0003", run.LastCheckpointDir(), StringComparison.Ordinal);
        var saved = RunStateFile.ReadLast<LineFitRecord>(run);
        Assert.Equal((RunStateFile.CurrentFormat, 2, 1.0), (saved.Format, saved.BestEpoch, saved.BestValue));
        Assert.True(File.Exists(run.BestModelPath));
    }

    [Fact]
    public void Train_SetsTheSchedulesRateEachEpoch()
    {
        using var dir = new TempDir();
        var options = new LineFitOptions { Epochs = 4, LearningRate = 0.1, Schedule = "cosine" };

        var state = new EpochDriver<double, LineFitRecord>(options, new RunDirectory(dir.Path), TextWriter.Null).Train(() => new LineFitTask(), resume: false);

        Assert.Equal(Enumerable.Range(0, 4).Select(e => LearningRateSchedule.At("cosine", 0.1, e, 4)), state.History.Select(h => h.LearningRate));
        Assert.True(state.History[^1].TrainRegressionLoss < state.History[0].TrainRegressionLoss, "the line fit should improve");
    }

    [Fact]
    public void Train_InterruptedThenResumed_MatchesTheUninterruptedRun_AndRestoresTheTasksExtras()
    {
        using var dir = new TempDir();
        var straight = new RunDirectory(Path.Combine(dir.Path, "straight"));
        var straightState = Driver(straight, epochs: 3).Train(() => new LineFitTask(), resume: false);

        var interrupted = new RunDirectory(Path.Combine(dir.Path, "interrupted"));
        using (var stop = new CancellationTokenSource())
        {
            var first = Driver(interrupted, epochs: 3);
            first.EpochCompleted += _ => stop.Cancel();
            Assert.Throws<OperationCanceledException>(() => first.Train(() => new LineFitTask(), resume: false, stop.Token));
        }
        LineFitTask? resumedTask = null;
        var resumedState = Driver(interrupted, epochs: 3).Train(() => resumedTask = new LineFitTask(), resume: true);

        Assert.True(resumedTask!.StartedResumed);
        Assert.Equal(3, resumedTask.EpochsStepped); // one epoch read back from the checkpoint's extra.txt, two stepped now
        Assert.Equal(straightState.History.Select(h => h.TrainRegressionLoss), resumedState.History.Select(h => h.TrainRegressionLoss));
        Assert.Equal(straightState.History.Select(h => h.ValMse), resumedState.History.Select(h => h.ValMse));
        Assert.Equal(straightState.BestEpoch, resumedState.BestEpoch);
    }

    [Fact]
    public void Train_LossNotFinite_StopsNamingTheEpochStepAndTheCheckpointItKeeps()
    {
        using var dir = new TempDir();
        var run = new RunDirectory(dir.Path);
        Driver(run, epochs: 1).Train(() => new LineFitTask(), resume: false);
        var good = run.LastCheckpointDir()!;

        var error = Assert.Throws<TrainingDivergedException>(() => Driver(run, epochs: 2).Train(() => new LineFitTask(lossScale: double.NaN), resume: true));

        Assert.Contains("loss is NaN at epoch 2 step 1", error.Message, StringComparison.Ordinal);
        Assert.Contains(good, error.Message, StringComparison.Ordinal);
        Assert.Equal(good, run.LastCheckpointDir());
    }

    [Fact]
    public void Train_FolderHoldsARun_IsRefusedWithoutResume_AndRefusedForAnotherTasksMetric()
    {
        using var dir = new TempDir();
        var run = new RunDirectory(dir.Path);
        Driver(run, epochs: 1).Train(() => new LineFitTask(), resume: false);

        var notResumed = Assert.Throws<ConfigurationException>(() => Driver(run, epochs: 2).Train(() => new LineFitTask(), resume: false));
        var otherTask = Assert.Throws<ConfigurationException>(() => Driver(run, epochs: 2).Train(() => new LineFitTask(metric: "valRmse"), resume: true));

        Assert.Contains("--resume", notResumed.Message, StringComparison.Ordinal);
        Assert.Contains("chose its best epoch on valMse, this task on valRmse", otherTask.Message, StringComparison.Ordinal);
    }

    private static EpochDriver<double, LineFitRecord> Driver(RunDirectory run, int epochs) =>
        new(new LineFitOptions { Epochs = epochs, LearningRate = 0.1, Schedule = "constant" }, run, TextWriter.Null);
}
