using ConR.Training.Age;
using ConR.Training.Engine;

namespace ConR.Training.Tests.Engine;

public sealed class TrainingCheckpointsTests
{
    [Fact]
    public void OpenRun_ResumeWithOtherFlags_RefusesAndNamesEachDifferingSetting()
    {
        using var dir = new TempDir();
        var run = new RunDirectory(Path.Combine(dir.Path, "run"));
        var started = new AgeTrainConfig { DataDir = "/d", CsvPath = "/d/x.csv", ConR = true, CropPadding = 5, Seed = 1 };
        TrainingCheckpoints.OpenRun(run, started, resume: false, Read, Keep);

        var error = Assert.Throws<ConfigurationException>(
            () => TrainingCheckpoints.OpenRun(run, started with { CropPadding = 4, Seed = 2 }, resume: true, Read, Keep));

        Assert.Contains("in cropPadding (run: 5, flags: 4), seed (run: 1, flags: 2);", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenRun_ResumeWithTheSameFlags_ReturnsTheSavedConfig()
    {
        using var dir = new TempDir();
        var run = new RunDirectory(Path.Combine(dir.Path, "run"));
        var started = new AgeTrainConfig { DataDir = "/d", CsvPath = "/d/x.csv", ConR = true, CropPadding = 4 };
        TrainingCheckpoints.OpenRun(run, started, resume: false, Read, Keep);

        Assert.Equal(started, TrainingCheckpoints.OpenRun(run, started, resume: true, Read, Keep));
    }

    [Fact]
    public void RefuseOccupied_RefusesANewRunInAFolderThatHoldsOne_ButNotAResumeOrAnEmptyFolder()
    {
        using var dir = new TempDir();
        var run = new RunDirectory(Path.Combine(dir.Path, "run"));
        TrainingCheckpoints.RefuseOccupied(run, resume: false); // nothing there yet
        TrainingCheckpoints.OpenRun(run, new AgeTrainConfig { DataDir = "/d", CsvPath = "/d/x.csv" }, resume: false, Read, Keep);

        var refused = Assert.Throws<ConfigurationException>(() => TrainingCheckpoints.RefuseOccupied(run, resume: false));
        TrainingCheckpoints.RefuseOccupied(run, resume: true);

        Assert.Equal($"{run.Root} already holds a run: pass --resume to continue it or choose another --out", refused.Message);
    }

    private static AgeTrainConfig Read(RunDirectory run) => AgeTrainConfig.Read(run.ConfigPath);

    private static AgeTrainConfig Keep(AgeTrainConfig saved, AgeTrainConfig given) => saved with { Workers = given.Workers };
}
