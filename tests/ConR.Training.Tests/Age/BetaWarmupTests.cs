using ConR.Training.Age;
using ConR.Training.Engine;


namespace ConR.Training.Tests.Age;

public sealed class BetaWarmupTests
{
    private static AgeTrainConfig Config(double beta, double warmup) =>
        new() { DataDir = "/d", CsvPath = "/d/x.csv", ConR = true, Beta = beta, BetaWarmupEpochs = warmup, Epochs = 10 };

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.5)]
    [InlineData(1.0, 1.0)]
    [InlineData(1.5, 1.5)]
    [InlineData(2.0, 2.0)]
    [InlineData(7.0, 2.0)]
    public void Beta_RampsLinearlyOverTheWarmup_ThenStays(double epochProgress, double expected) =>
        Assert.Equal(expected, Config(beta: 2, warmup: 2).BetaAt(epochProgress), 12);

    [Fact]
    public void NoWarmup_IsFullBetaFromTheFirstStep() => Assert.Equal(4, Config(beta: 4, warmup: 0).BetaAt(0));

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void Warmup_OutsideTheRun_IsRefused(double warmup)
    {
        var error = Assert.Throws<ConfigurationException>(Config(1, warmup).Validate);
        Assert.Contains("--beta-warmup", error.Message, StringComparison.Ordinal);
    }
}
