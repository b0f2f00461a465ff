using System.Globalization;
using ConR.Training.Age;
using ConR.Training.Age.Data;
using ConR.Training.Age.Models;
using ConR.Training.Engine;
using ConR.Training.Methods;
using ConR.Training.Tests.Age;

namespace ConR.Training.Tests.Methods;

[Collection(SeededTorchRuns.Name)]
public sealed class MethodTrainingTests
{
    private const string TinyModel = "--arch resnet18 --width 0.0625 --img-size 16 --batch-size 8 --workers 1 --seed 5";

    [Theory]
    [InlineData("--fds --fds-ks 3 --bucket-start 0 --bucket-num 64 --start-smooth 1")]
    [InlineData("--fds --conr --reweight sqrt_inv --lds")]
    [InlineData("--bmse --loss mse --bmse-imp bni")]
    [InlineData("--bmse --loss mse --bmse-imp bmc --bmse-learn-sigma --bmse-sigma 3 --bmse-sigma-lr 0.05")]
    [InlineData("--bmse --loss mse --bmse-imp gai --gai-components 3 --conr")]
    [InlineData("--ranksim --ranksim-gamma 10 --ranksim-lambda 2")]
    [InlineData("--ranksim --conr --fds --bucket-start 0 --bucket-num 64")]
    public void Cli_EachMethodTrainsAndEvaluates(string flags)
    {
        using var data = new TinyAgeDataSet();
        var runDir = data.NewRunDir();
        int code = Invoke($"train age --data {data.Root} --csv tiny.csv --out {runDir} --epochs 2 {TinyModel} {flags}", out var error);

        Assert.True(code == 0, error);
        Assert.True(File.Exists(Path.Combine(runDir, "reports", "eval-test.json")));
        // The best model is a plain AgeRegressor state dict, whatever the method.
        var config = RunDirectory.ReadJson<AgeTrainConfig>(Path.Combine(runDir, "config.json"));
        using var model = new AgeRegressor(config.ModelSpec());
        model.load(new RunDirectory(runDir).BestModelPath);
    }

    [Fact]
    public void Train_LearnedSigmaRunInterruptedAndResumed_MatchesUninterruptedRun()
    {
        using var data = new TinyAgeDataSet();
        var config = data.Config(epochs: 2) with { Loss = "mse", Bmse = true, BmseImp = "bmc", BmseLearnSigma = true, BmseSigma = 3, RankSim = true };
        var ageData = AgeData.Load(config, TextWriter.Null);
        var straight = new RunDirectory(data.NewRunDir());
        var straightState = new AgeTrainer(config, straight, TorchSharp.torch.CPU, TextWriter.Null).Train(ageData, resume: false);

        var interrupted = new RunDirectory(data.NewRunDir());
        using (var stop = new CancellationTokenSource())
        {
            var first = new AgeTrainer(config, interrupted, TorchSharp.torch.CPU, TextWriter.Null);
            first.EpochCompleted += _ => stop.Cancel();
            Assert.Throws<OperationCanceledException>(() => first.Train(ageData, resume: false, stop.Token));
        }
        var resumedState = new AgeTrainer(config, interrupted, TorchSharp.torch.CPU, TextWriter.Null).Train(ageData, resume: true);

        Assert.Equal(straightState.History.Select(h => h.ValMae), resumedState.History.Select(h => h.ValMae));
        using var a = new NoiseSigma(1, true);
        using var b = new NoiseSigma(1, true);
        a.load(Path.Combine(straight.LastCheckpointDir()!, AgeMethodState.SigmaFile));
        b.load(Path.Combine(interrupted.LastCheckpointDir()!, AgeMethodState.SigmaFile));
        Assert.Equal(a.Value, b.Value);
        Assert.NotEqual(3f, a.Value);
    }

    [Theory]
    [InlineData("fp32")]
    [InlineData("bf16")]
    public void Rrt_RetrainsOnlyTheRegressor(string precision)
    {
        using var data = new TinyAgeDataSet();
        var baseDir = data.NewRunDir();
        Assert.Equal(0, AgeTrainingRun.Execute(data.Config(epochs: 1), baseDir, resume: false, "cpu", TextWriter.Null));

        var rrtDir = data.NewRunDir();
        int code = Invoke($"train age --data {data.Root} --csv tiny.csv --out {rrtDir} --epochs 2 --lr 0.01 {TinyModel} --rrt-from {baseDir} --reweight sqrt_inv --lds --precision {precision}", out var error);
        Assert.True(code == 0, error);

        var spec = data.Config().ModelSpec();
        using var before = new AgeRegressor(spec);
        using var after = new AgeRegressor(spec);
        before.load(new RunDirectory(baseDir).BestModelPath);
        after.load(new RunDirectory(rrtDir).BestModelPath);
        var old = before.state_dict();
        foreach (var (name, value) in after.state_dict())
        {
            bool same = value.allclose(old[name], rtol: 0, atol: 0);
            if (name.StartsWith(Rrt.RegressorPrefix, StringComparison.Ordinal)) Assert.False(same, $"{name} was not retrained");
            else Assert.True(same, $"{name} changed although the encoder is frozen");
        }
    }

    [Fact]
    public void RetrainRegressor_InheritsTheBaseRunsFlags()
    {
        using var data = new TinyAgeDataSet();
        var baseDir = data.NewRunDir();
        Assert.Equal(0, AgeTrainingRun.Execute(data.Config(conr: true, epochs: 1), baseDir, resume: false, "cpu", TextWriter.Null));
        var rrtDir = data.NewRunDir();

        int code = Invoke($"retrain-regressor --from {baseDir} --out {rrtDir} --reweight inverse --epochs 1", out var error);

        Assert.True(code == 0, error);
        var config = RunDirectory.ReadJson<AgeTrainConfig>(Path.Combine(rrtDir, "config.json"));
        Assert.Equal(Path.GetFullPath(baseDir), config.RrtFrom);
        Assert.False(config.ConR);
        Assert.Equal("inverse", config.Reweight);
        Assert.Equal(data.Config().ModelSpec(), config.ModelSpec());
        Assert.Equal(1, config.Epochs);
    }

    [Theory]
    [InlineData("--bmse", "--loss mse")]
    [InlineData("--bmse --loss l1", "--loss mse")]
    [InlineData("--bmse --loss mse --bmse-imp gai", "--gai-components")]
    [InlineData("--bmse --loss mse --bmse-imp xyz", "bmc, bni or gai")]
    [InlineData("--bmse --loss mse --reweight sqrt_inv", "--reweight")]
    [InlineData("--gai-components 4", "--bmse")]
    [InlineData("--bmse --loss mse --gai-components 4", "--bmse-imp gai")]
    [InlineData("--bmse --loss mse --bmse-sigma-lr 0.1", "--bmse-learn-sigma")]
    [InlineData("--bmse --loss mse --bmse-sigma 0", "--bmse-sigma")]
    [InlineData("--fds-ks 7", "--fds")]
    [InlineData("--start-smooth 2", "--fds")]
    [InlineData("--fds --fds-ks 4", "odd")]
    [InlineData("--fds --fds-clamp 1", "lo,hi")]
    [InlineData("--fds --fds-clamp 5,1", "--fds-clamp")]
    [InlineData("--fds --bucket-start 98 --bucket-num 100", "buckets")]
    [InlineData("--fds --fds-kernel box", "--fds-kernel")]
    [InlineData("--fds --fds-momentum 1", "--fds-momentum")]
    [InlineData("--ranksim-gamma 5", "--ranksim")]
    [InlineData("--ranksim --batch-size 1", "--ranksim")]
    [InlineData("--ranksim --ranksim-lambda 0", "--ranksim-lambda")]
    [InlineData("--rrt-from BASE", "--reweight")]
    [InlineData("--rrt-from BASE --reweight sqrt_inv --fds", "--rrt-from")]
    [InlineData("--rrt-from BASE --reweight sqrt_inv --conr", "--conr")]
    [InlineData("--rrt-from BASE --reweight sqrt_inv --ranksim", "--ranksim")]
    [InlineData("--rrt-from BASE --reweight sqrt_inv", "not a run folder")]
    public void Cli_CombinationsThatDoNotFit_AreRefusedBeforeAnyWork(string flags, string expectedHint)
    {
        using var data = new TinyAgeDataSet(train: 2, val: 1, test: 1);
        var runDir = data.NewRunDir();
        flags = flags.Replace("BASE", Path.Combine(data.Root, "no-such-run"), StringComparison.Ordinal);

        int code = Invoke($"train age --data {data.Root} --csv tiny.csv --out {runDir} {flags}", out var error);

        Assert.Equal(2, code);
        Assert.Contains(expectedHint, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(runDir), "a refused command must not create the run folder");
    }

    [Fact]
    public void Rrt_BaseWithAnotherArchitecture_IsRefused()
    {
        using var data = new TinyAgeDataSet();
        var baseDir = data.NewRunDir();
        Assert.Equal(0, AgeTrainingRun.Execute(data.Config(epochs: 1), baseDir, resume: false, "cpu", TextWriter.Null));
        var rrt = data.Config() with { Width = 0.125, RrtFrom = baseDir, Reweight = "sqrt_inv" };
        var error = Assert.Throws<ConfigurationException>(() => AgeTrainingRun.Execute(rrt, data.NewRunDir(), false, "cpu", TextWriter.Null));
        Assert.Contains("--width 0.0625", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PreExistingConfigJson_DeserialisesToTheDefaultsAndTrainsIdentically()
    {
        using var data = new TinyAgeDataSet();
        // A config.json as written before the methods existed (the format of the runs in /work/runs/utk-*).
        var oldJson = string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "format": 1, "dataDir": "{{data.Root}}", "csvPath": "{{data.CsvPath}}", "skipBad": false, "limitTrain": null,
              "architecture": "resnet18", "width": 0.0625, "imageSize": 16, "loss": "l1", "reweight": "none", "lds": false,
              "ldsKernel": "gaussian", "ldsKernelSize": 5, "ldsSigma": 2, "conR": true, "window": 1, "beta": 4, "temperature": 0.07,
              "pushingScale": 0.01, "conRVariant": "OfficialAge", "epochs": 1, "batchSize": 8, "learningRate": 0.001,
              "schedule": "cosine", "weightDecay": 0, "seed": 5, "workers": 1, "precision": "fp32", "explodeFactor": 50
            }
            """);
        var oldRun = data.NewRunDir();
        Directory.CreateDirectory(oldRun);
        File.WriteAllText(Path.Combine(oldRun, "config.json"), oldJson);
        var fromOld = AgeTrainConfig.Read(Path.Combine(oldRun, "config.json"));
        // Format 1 had one ConR step, the single forward pass: the migration keeps it; it recorded no crop padding, so
        // it gets the one it was trained with (the rounded rule: 1 px at 16).
        var fromFlags = data.Config(conr: true, epochs: 1) with { ConRStep = "single-forward", CropPadding = 1 };
        Assert.Equal(fromFlags, fromOld);
        Assert.False(fromOld.Fds || fromOld.Bmse || fromOld.RankSim || fromOld.RrtFrom is not null);

        // Resuming the old-format folder (no checkpoint yet) trains exactly what a fresh run with today's defaults and the
        // migrated step trains.
        Assert.Equal(0, AgeTrainingRun.Execute(fromFlags, oldRun, resume: true, "cpu", TextWriter.Null));
        var newRun = data.NewRunDir();
        Assert.Equal(0, AgeTrainingRun.Execute(fromFlags, newRun, resume: false, "cpu", TextWriter.Null));
        using var a = new AgeRegressor(fromFlags.ModelSpec());
        using var b = new AgeRegressor(fromFlags.ModelSpec());
        a.load(new RunDirectory(oldRun).BestModelPath);
        b.load(new RunDirectory(newRun).BestModelPath);
        foreach (var ((name, pa), (_, pb)) in a.state_dict().Zip(b.state_dict()))
        {
            Assert.True(pa.allclose(pb, rtol: 0, atol: 0), $"{name} differs between the old-config run and the default run");
        }
    }

    private static int Invoke(string commandLine, out string error) => CliInvocation.Run(commandLine, out error);
}
