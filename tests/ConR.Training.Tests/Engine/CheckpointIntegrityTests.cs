using ConR.Training.Age;
using ConR.Training.Age.Export;
using ConR.Training.Engine;
using ConR.Training.Export;
using ConR.Training.Tests.Age;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Engine;

/// <summary>Checkpoint files carry SHA-256 digests; a damaged file is named before anything is loaded from it.</summary>
[Collection(SeededTorchRuns.Name)]
public sealed class CheckpointIntegrityTests
{
    [Theory]
    [InlineData("model.bin", "flip")]
    [InlineData("model.bin", "truncate")]
    [InlineData("optimizer.bin", "truncate")]
    [InlineData("state.json", "flip")]
    public void Resume_DamagedCheckpointFile_IsRefusedNamingTheFile(string file, string damage)
    {
        using var data = new TinyAgeDataSet();
        var runDir = data.NewRunDir();
        var config = data.Config(epochs: 1);
        Assert.Equal(0, AgeTrainingRun.Execute(config, runDir, resume: false, "cpu", TextWriter.Null));
        var last = new RunDirectory(runDir).LastCheckpointDir()!;
        Assert.True(File.Exists(Path.Combine(last, CheckpointManifest.FileName)));
        Damage(Path.Combine(last, file), damage);

        var error = Assert.Throws<ConfigurationException>(() => AgeTrainingRun.Execute(config, runDir, resume: true, "cpu", TextWriter.Null));

        Assert.Contains(Path.Combine(last, file), error.Message, StringComparison.Ordinal);
        Assert.Contains("is corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_DamagedBestModel_IsRefusedNamingTheFile()
    {
        using var data = new TinyAgeDataSet();
        var runDir = data.NewRunDir();
        Assert.Equal(0, AgeTrainingRun.Execute(data.Config(epochs: 1), runDir, resume: false, "cpu", TextWriter.Null));
        var best = new RunDirectory(runDir).BestModelPath;
        Damage(best, "flip");

        var error = Assert.Throws<ConfigurationException>(() =>
            AgeModelPackager.Export(runDir, new ModelRepository(Path.Combine(data.Root, "models")), "age", null, CPU, TextWriter.Null));

        Assert.Contains(best, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(data.Root, "models", "age")), "nothing is published from a damaged checkpoint");
    }

    [Fact]
    public void CheckpointWithoutManifest_FromBeforeManifests_StillResumes()
    {
        using var data = new TinyAgeDataSet();
        var runDir = data.NewRunDir();
        var config = data.Config(epochs: 1);
        Assert.Equal(0, AgeTrainingRun.Execute(config, runDir, resume: false, "cpu", TextWriter.Null));
        File.Delete(Path.Combine(new RunDirectory(runDir).LastCheckpointDir()!, CheckpointManifest.FileName));

        Assert.Equal(0, AgeTrainingRun.Execute(config, runDir, resume: true, "cpu", TextWriter.Null));
    }

    private static void Damage(string path, string how)
    {
        var bytes = File.ReadAllBytes(path);
        if (how == "truncate")
        {
            File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
            return;
        }
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }
}
