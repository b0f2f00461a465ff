using ConR.Training.Age;
using ConR.Training.Depth;
using ConR.Training.Engine;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Engine;

/// <summary>state.json: the current format, and the per-task files written before it (Fixtures/old-runs), migrated on read.</summary>
public sealed class RunStateFileTests
{
    private static string OldCheckpoint(string task) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "old-runs", task, "checkpoints", "epoch-0001");

    [Fact]
    public void AgeStateFromBeforeOneDriver_ReadsAsTheCurrentFormat()
    {
        var state = RunStateFile.Read<AgeEpochRecord>(OldCheckpoint("age"));

        Assert.Equal((RunStateFile.CurrentFormat, 1, 1, "valMae", 16.059555848439533), (state.Format, state.CompletedEpochs, state.BestEpoch, state.BestMetric, state.BestValue));
        Assert.Equal(16.059555848439533, Assert.Single(state.History).ValMae);
        Assert.Equal(15.22992467880249, state.History[0].TrainRegressionLoss);
    }

    [Fact]
    public void DepthStateFromBeforeOneDriver_ReadsAsTheCurrentFormat()
    {
        var state = RunStateFile.Read<DepthEpochRecord>(OldCheckpoint("depth"));

        Assert.Equal((RunStateFile.CurrentFormat, 1, 1, "valRmse", 1.5060105896509546), (state.Format, state.CompletedEpochs, state.BestEpoch, state.BestMetric, state.BestValue));
        Assert.Equal(0.32075471698113206, Assert.Single(state.History).ValDelta1);
    }

    [Fact]
    public void WrittenState_ReadsBack()
    {
        using var dir = new TempDir();
        var state = new RunState<AgeEpochRecord>
        {
            CompletedEpochs = 1,
            BestEpoch = 1,
            BestMetric = "valMae",
            BestValue = 7.5,
            History = [new AgeEpochRecord(1, 1e-3, 9, 0.5, 7.5, 80, 12, 100, 0.1)],
            TotalTrainSeconds = 12,
        };

        RunStateFile.Write(dir.Path, state);
        var read = RunStateFile.Read<AgeEpochRecord>(dir.Path);

        Assert.Equal(state with { History = read.History }, read);
        Assert.Equal(state.History, read.History);
    }

    [Theory]
    [InlineData("""{ "format": 3, "bestMetric": "valMae", "completedEpochs": 1 }""", "state format 3 is not supported")]
    [InlineData("""{ "completedEpochs": 1, "bestEpoch": 1, "history": [] }""", "neither a format nor a best value")]
    [InlineData("""[1, 2]""", "not a JSON object")]
    [InlineData("""{ "format": 2, "completedEpochs": """, "not a valid run state")]
    public void StateThatCannotBeRead_IsRefusedWithAMessage(string json, string expected)
    {
        using var dir = new TempDir();
        dir.Write(RunStateFile.FileName, json);

        var error = Assert.Throws<ConfigurationException>(() => RunStateFile.Read<AgeEpochRecord>(dir.Path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(RunStateFile.FileName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OldAgeRunFolder_IsNotResumedAsADepthRun()
    {
        using var dir = new TempDir();
        foreach (var file in Directory.GetFiles(OldCheckpoint("age")))
        {
            Directory.CreateDirectory(Path.Combine(dir.Path, "checkpoints", "epoch-0001"));
            File.Copy(file, Path.Combine(dir.Path, "checkpoints", "epoch-0001", Path.GetFileName(file)));
        }
        File.Copy(Path.Combine(OldCheckpoint("age"), "..", "last.json"), Path.Combine(dir.Path, "checkpoints", "last.json"));
        using var model = nn.Linear(1, 1);
        using var optimizer = optim.Adam(model.parameters());

        var error = Assert.Throws<ConfigurationException>(() =>
            TrainingCheckpoints.Resume<DepthEpochRecord>(new RunDirectory(dir.Path), resume: true, model, optimizer, "valRmse", _ => { }));

        Assert.Contains("chose its best epoch on valMae, this task on valRmse", error.Message, StringComparison.Ordinal);
    }
}
