using System.Text.Json.Nodes;
using ConR.Training.Age;
using ConR.Training.Engine;

namespace ConR.Training.Tests.Age;

/// <summary>The --conr-step setting: default, validation, and the migration of format 1 run folders.</summary>
public sealed class ConRStepConfigTests
{
    [Fact]
    public void NewConfig_UsesTheOfficialStep()
    {
        var config = new AgeTrainConfig { DataDir = "/d", CsvPath = "/d/x.csv", ConR = true };
        Assert.Equal(ConRStepKind.Official, config.ConRStepKind());
        Assert.Equal(3, ConRStepKinds.ViewsPerSample(config.ConR, config.ConRStepKind()));
    }

    [Theory]
    [InlineData(false, "official", 1)]
    [InlineData(true, "official", 3)]
    [InlineData(true, "single-forward", 3)]
    [InlineData(true, "two-view", 2)]
    public void ViewsPerSample_FollowTheStep(bool conr, string step, int views) =>
        Assert.Equal(views, ConRStepKinds.ViewsPerSample(conr, ConRStepKinds.Parse(step)));

    [Fact]
    public void UnknownStep_IsRefusedWithTheChoices()
    {
        var config = new AgeTrainConfig { DataDir = "/d", CsvPath = "/d/x.csv", ConR = true, ConRStep = "both" };
        var error = Assert.Throws<ConfigurationException>(config.Validate);
        Assert.Contains("official, single-forward, two-view", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "single-forward")]
    [InlineData(false, "official")]
    public void Format1RunFolder_IsMigrated_ConRRunsKeepTheirSingleForwardPass(bool conr, string expectedStep)
    {
        // A config.json as format 1 wrote it: no ConRStep property.
        var json = JsonNode.Parse(File.ReadAllText(WriteConfig(new AgeTrainConfig { DataDir = "/d", CsvPath = "/d/x.csv", ConR = conr })))!.AsObject();
        json["format"] = 1;
        json.Remove("conRStep");
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, json.ToJsonString());
            var migrated = AgeTrainConfig.Read(path);
            Assert.Equal(AgeTrainConfig.CurrentFormat, migrated.Format);
            Assert.Equal(expectedStep, migrated.ConRStep);
            migrated.Validate();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ConRStepFlag_WithoutConR_IsRefused()
    {
        int code = CliInvocation.Run("train age --data /nonexistent --csv x.csv --conr-step two-view --out /tmp/conr-step-gate", out var error);
        Assert.NotEqual(0, code);
        Assert.Contains("--conr-step only applies with --conr", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists("/tmp/conr-step-gate"));
    }

    [Fact]
    public void TwoGatedFlagsWithoutTheirSwitch_AreNamedTogether()
    {
        int code = CliInvocation.Run("train age --data /nonexistent --csv x.csv --w 2 --beta 1 --out /tmp/conr-step-gate2", out var error);
        Assert.NotEqual(0, code);
        Assert.Contains("--w, --beta only apply with --conr", error, StringComparison.Ordinal);
    }

    private static string WriteConfig(AgeTrainConfig config)
    {
        var path = Path.GetTempFileName();
        RunDirectory.WriteJsonAtomic(path, config);
        return path;
    }
}
