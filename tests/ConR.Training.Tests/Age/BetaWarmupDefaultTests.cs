using System.CommandLine;
using ConR.Training.Age;
using ConR.Training.Cli;

namespace ConR.Training.Tests.Age;

/// <summary>The warm-up a run gets from the command line when it names none (issue 18: a cold start can stall).</summary>
public sealed class BetaWarmupDefaultTests
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
