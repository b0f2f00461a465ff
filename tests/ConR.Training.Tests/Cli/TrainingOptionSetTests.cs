using System.CommandLine;
using ConR.Training.Age;
using ConR.Training.Cli;
using ConR.Training.Depth;
using ConR.Training.Engine;

namespace ConR.Training.Tests.Cli;

/// <summary>The shared training flags: declared once, bound onto either task's config, each task's defaults kept.</summary>
public sealed class TrainingOptionSetTests
{
    private static readonly DepthTrainConfig Depth = new() { DataDir = "/d", TrainCsv = "/d/t.csv", ValCsv = "/d/v.csv" };
    private static readonly AgeTrainConfig Age = new() { DataDir = "/d", CsvPath = "/d/x.csv" };

    [Fact]
    public void NoFlags_BindTheTasksDefaults()
    {
        var (depthSet, depthParse) = Parse(DepthTrainConfig.Defaults, TrainDepthCommand.Flags, "");
        var (ageSet, ageParse) = Parse(AgeTrainConfig.Defaults, AgeTrainOptions.Flags, "");

        Assert.Equal(Depth, depthSet.Bind(depthParse, Depth));
        // Age's command line offers --precision auto, resolved when the run starts; everything else is the config's default.
        Assert.Equal(Age with { Precision = PrecisionChoice.Auto }, ageSet.Bind(ageParse, Age));
    }

    [Fact]
    public void EveryFlag_SetsItsSetting()
    {
        var (set, parse) = Parse(DepthTrainConfig.Defaults, TrainDepthCommand.Flags,
            "--conr --conr-variant Dense --w 0.3 --beta 0.5 --tau 0.1 --e 0.05 --reweight inverse --lds --lds-kernel laplace --lds-ks 7 --lds-sigma 3 " +
            "--epochs 3 --batch-size 4 --lr 0.01 --schedule step --seed 9 --workers 1 --precision bf16 --explode-factor 80");

        var bound = set.Bind(parse, Depth);

        Assert.Equal(
            Depth with
            {
                ConR = true, ConRVariant = "Dense", Window = 0.3, Beta = 0.5, Temperature = 0.1, PushingScale = 0.05,
                Reweight = "inverse", Lds = true, LdsKernel = "laplace", LdsKernelSize = 7, LdsSigma = 3,
                Epochs = 3, BatchSize = 4, LearningRate = 0.01, Schedule = "step", Seed = 9, Workers = 1, Precision = "bf16", ExplodeFactor = 80,
            },
            bound);
    }

    [Fact]
    public void FlagTheCommandDoesNotOffer_KeepsTheConfigsValue()
    {
        // `train age` leaves --explode-factor out: the config keeps whatever it holds.
        var set = new TrainingOptionSet(AgeTrainConfig.Defaults, AgeTrainOptions.Flags);
        var command = new RootCommand { set.Epochs };
        var parse = command.Parse("--epochs 4");

        var bound = set.Bind(parse, Age with { ExplodeFactor = 70, Beta = 2 });

        Assert.Equal((4, 70.0, 2.0), (bound.Epochs, bound.ExplodeFactor, bound.Beta));
    }

    [Theory]
    [InlineData("--beta 0.5", "--beta only applies with --conr")]
    [InlineData("--w 0.3 --dense-pool 4", "--w, --dense-pool only apply with --conr")]
    [InlineData("--lds-ks 7", "--lds-ks only applies with --lds")]
    public void SettingWithoutItsSwitch_IsRefused(string flags, string expected)
    {
        var set = new TrainingOptionSet(DepthTrainConfig.Defaults, TrainDepthCommand.Flags);
        var densePool = new Option<int>("--dense-pool");
        var command = new RootCommand { densePool };
        foreach (var option in All(set)) command.Add(option);
        var parse = command.Parse(flags);

        var error = Assert.Throws<ConfigurationException>(() =>
        {
            set.RequireConRSwitch(parse, densePool);
            set.RequireLdsSwitch(parse);
        });

        Assert.Equal(expected, error.Message);
    }

    private static (TrainingOptionSet Set, ParseResult Parse) Parse(TrainingDefaults defaults, TaskTrainingFlags flags, string commandLine)
    {
        var set = new TrainingOptionSet(defaults, flags);
        var command = new RootCommand();
        foreach (var option in All(set)) command.Add(option);
        var parse = command.Parse(commandLine);
        Assert.Empty(parse.Errors);
        return (set, parse);
    }

    private static Option[] All(TrainingOptionSet set) =>
    [
        set.ConR, set.Window, set.Beta, set.Tau, set.Pushing, set.Variant, set.Reweight, set.Lds, set.LdsKernel, set.LdsKs, set.LdsSigma,
        set.Epochs, set.BatchSize, set.Lr, set.Schedule, set.Seed, set.Workers, set.Precision, set.ExplodeFactor,
    ];
}
