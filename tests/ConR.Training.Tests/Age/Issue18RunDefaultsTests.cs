using System.CommandLine;
using System.Text.Json;
using ConR.Training.Age;
using ConR.Training.Cli;
using ConR.Training.Engine;

namespace ConR.Training.Tests.Age;

/// <summary>
/// What a run gets from the command line when it names none, as issue 18 found it must be to agree with the reference
/// trainer: a beta warm-up (a cold start can stall) and the reference's crop padding; and old runs keep theirs.
/// </summary>
public sealed class Issue18RunDefaultsTests
{
    [Theory]
    [InlineData("--conr --epochs 16", 2.0)]
    [InlineData("--conr --epochs 8", 2.0)]
    [InlineData("--conr --epochs 4", 1.0)]
    [InlineData("--conr --epochs 1", 0.25)]
    [InlineData("--epochs 16", 0.0)]
    [InlineData("--conr --epochs 16 --beta-warmup 0", 0.0)]
    [InlineData("--conr --epochs 16 --beta-warmup 3.5", 3.5)]
    public void Warmup_FromTheCommandLine(string flags, double expected)
    {
        var config = Build($"--data /d --csv x.csv {flags}");

        Assert.Equal(expected, config.BetaWarmupEpochs);
        config.Validate();
    }

    [Fact]
    public void DefaultWarmup_RampsBetaOverTheFirstTwoEpochs()
    {
        var config = Build("--data /d --csv x.csv --conr --beta 4 --epochs 16");

        Assert.Equal(0, config.BetaAt(0));
        Assert.Equal(2, config.BetaAt(1), 12);
        Assert.Equal(4, config.BetaAt(2));
    }

    [Theory]
    [InlineData("", 4)]
    [InlineData("--img-size 96", 6)]
    [InlineData("--img-size 224", 16)]
    [InlineData("--crop-padding 5", 5)]
    [InlineData("--crop-padding 0", 0)]
    public void CropPadding_FromTheCommandLine_IsRecordedInTheConfig(string flags, int expected)
    {
        var config = Build($"--data /d --csv x.csv --conr {flags}".TrimEnd());

        Assert.Equal(expected, config.CropPadding);
        Assert.Equal(expected, config.EffectiveCropPadding());
        config.Validate();
    }

    [Theory]
    [InlineData(64, 5)]
    [InlineData(96, 7)]
    [InlineData(32, 2)]
    public void ConfigWrittenBeforePaddingWasRecorded_KeepsThePaddingItWasTrainedWith(int size, int expected)
    {
        // A config.json of session 6 or older: "cropPadding": null meant the rounded rule of that time.
        var fresh = Build($"--data /d --csv x.csv --conr --img-size {size}");
        var json = JsonSerializer.SerializeToNode(fresh with { CropPadding = null }, RunDirectory.Json)!.ToJsonString();
        var old = JsonSerializer.Deserialize<AgeTrainConfig>(json, RunDirectory.Json)!;

        Assert.Null(old.CropPadding);
        Assert.Equal(expected, old.EffectiveCropPadding());
    }

    private static AgeTrainConfig Build(string args)
    {
        var options = new AgeTrainOptions();
        var command = new RootCommand();
        foreach (var option in options.All) command.Add(option);
        var parse = command.Parse(args.Split(' '));
        Assert.Empty(parse.Errors);
        return options.Build(parse);
    }
}
