using System.CommandLine;
using System.Globalization;
using ConR.Training.Age;
using ConR.Training.Age.Data;
using ConR.Training.Engine;

namespace ConR.Training.Cli;

/// <summary>
/// The flags of an age run, shared by `train age` and `compare` (which sets the method switches itself: see
/// <see cref="Switches"/>).
/// </summary>
internal sealed class AgeTrainOptions
{
    /// <summary>How `train age` words the shared flags: labels in years, three views per sample, --precision auto.</summary>
    public static TaskTrainingFlags Flags { get; } = new()
    {
        ConR = "Add the ConR regularizer (three views per sample)",
        Window = "ConR label window w (years)",
        Temperature = "ConR temperature (the official age code uses 0.07)",
        PushingScale = "ConR pushing scale e",
        ConRVariant = "OfficialAge | Clean",
        Reweight = "none | sqrt_inv | inverse",
        Precision = "auto | fp32 | bf16 (bfloat16 compute, float32 master weights); auto picks bf16 only where a start-up probe measures it faster",
        PrecisionDefault = PrecisionChoice.Auto,
    };

    /// <summary>The optimiser, schedule, precision, re-weighting and ConR flags every task shares.</summary>
    public readonly TrainingOptionSet Training = new(AgeTrainConfig.Defaults, Flags);

    public readonly Option<string> Data = new("--data") { Description = "Data folder the CSV paths are relative to", Required = true };
    public readonly Option<string> Csv = new("--csv") { Description = "Split file with columns age,path,split (relative to --data or absolute)", Required = true };
    public readonly Option<bool> SkipBad = new("--skip-bad") { Description = "Skip (and count) bad rows and unreadable images instead of stopping" };
    public readonly Option<int?> LimitTrain = new("--limit-train") { Description = "Use a deterministic subset of N train images (quick runs)" };
    public readonly Option<double> MaxLabel = new("--max-label") { Description = "Largest plausible age in the CSV (years); rows above it are bad rows", DefaultValueFactory = _ => DirCsvReader.DefaultMaxAge };
    public readonly Option<double?> BetaWarmup = new("--beta-warmup")
    {
        Description = $"Epochs over which beta ramps linearly from 0 (per step); 0: no warm-up. Default with --conr: {AgeTrainConfig.DefaultBetaWarmupEpochs} epochs, or a quarter of a shorter run (a cold start at full beta can stall; docs/results.md)",
    };
    public readonly Option<int?> CropPadding = new("--crop-padding") { Description = "Random-crop padding in pixels (default: the official 16 px at 224 scaled to --img-size and truncated: 4 at 64 px, as the reference trainer)" };
    public readonly Option<string> Step = new("--conr-step")
    {
        Description = "official: L_R on view 1 and ConR on views 2-3 in a second forward pass (BatchNorm sees them apart); " +
                      "single-forward: all three views in one pass (conr-train before format 2); two-view: L_R and ConR on the same two views",
        DefaultValueFactory = _ => "official",
    };

    public readonly Option<bool> Fds = new("--fds") { Description = "Feature distribution smoothing of the pooled features (training only)" };
    public readonly Option<string> FdsKernel = new("--fds-kernel") { Description = "gaussian | triang | laplace", DefaultValueFactory = _ => "gaussian" };
    public readonly Option<int> FdsKs = new("--fds-ks") { Description = "FDS kernel size across buckets (odd)", DefaultValueFactory = _ => 5 };
    public readonly Option<double> FdsSigma = new("--fds-sigma") { Description = "FDS kernel sigma (buckets)", DefaultValueFactory = _ => 2.0 };
    public readonly Option<int> StartUpdate = new("--start-update") { Description = "FDS: first epoch (0-based) whose features update the statistics", DefaultValueFactory = _ => 0 };
    public readonly Option<int> StartSmooth = new("--start-smooth") { Description = "FDS: first epoch (0-based) that calibrates features", DefaultValueFactory = _ => 1 };
    public readonly Option<int> BucketStart = new("--bucket-start") { Description = "FDS: label of the first bucket (smaller labels pool into it)", DefaultValueFactory = _ => 3 };
    public readonly Option<int> BucketNum = new("--bucket-num") { Description = "FDS: one past the last bucket's label (larger labels pool into it)", DefaultValueFactory = _ => 100 };
    public readonly Option<double> FdsMomentum = new("--fds-momentum") { Description = "FDS: momentum of the running statistics", DefaultValueFactory = _ => 0.9 };
    public readonly Option<string> FdsClamp = new("--fds-clamp") { Description = "FDS: clamp lo,hi of the variance ratio (age 0.1,10; NYUD2 0.2,5)", DefaultValueFactory = _ => "0.1,10" };

    public readonly Option<bool> Bmse = new("--bmse") { Description = "Balanced MSE instead of MSE (needs --loss mse)" };
    public readonly Option<string> BmseImp = new("--bmse-imp") { Description = "bmc | bni | gai", DefaultValueFactory = _ => "bni" };
    public readonly Option<double> BmseSigma = new("--bmse-sigma") { Description = "Balanced MSE noise sigma (initial value when learned), label units", DefaultValueFactory = _ => 1.0 };
    public readonly Option<bool> BmseLearnSigma = new("--bmse-learn-sigma") { Description = "Learn the noise sigma (own Adam, no schedule)" };
    public readonly Option<double> BmseSigmaLr = new("--bmse-sigma-lr") { Description = "Learning rate of the noise sigma", DefaultValueFactory = _ => 0.01 };
    public readonly Option<int?> GaiComponents = new("--gai-components") { Description = "GAI: Gaussian mixture components fitted to the training labels (e.g. 8)" };

    public readonly Option<bool> RankSim = new("--ranksim") { Description = "Add the RankSim regularizer on the features of the L_R view" };
    public readonly Option<double> RankSimGamma = new("--ranksim-gamma") { Description = "RankSim weight gamma", DefaultValueFactory = _ => 100.0 };
    public readonly Option<double> RankSimLambda = new("--ranksim-lambda") { Description = "RankSim blackbox interpolation lambda", DefaultValueFactory = _ => 2.0 };

    public readonly Option<string?> RrtFrom = new("--rrt-from") { Description = "Regressor re-training: load RUNDIR's best encoder, freeze it, retrain the final layer (needs --reweight or --bmse)" };

    public readonly Option<string> Loss = new("--loss") { Description = "l1 | mse | huber | focal_l1 | focal_mse", DefaultValueFactory = _ => "l1" };
    public readonly Option<string> Arch = new("--arch") { Description = "resnet18 | resnet18-imagenet (a third block in the last stage, for --init imagenet-resnet18) | resnet34 | resnet50", DefaultValueFactory = _ => "resnet18" };
    public readonly Option<string> Init = new("--init")
    {
        Description = "none (from scratch) | imagenet-resnet18: the encoder starts from the ImageNet ResNet-18 of the NuGet package " +
                      "Microsoft.ML.DnnImageFeaturizer.ResNet18 (needs --arch resnet18-imagenet --width 1 --img-size 64 or more); the regressor starts fresh",
        DefaultValueFactory = _ => AgeTrainConfig.NoInit,
    };
    public readonly Option<double> Width = new("--width") { Description = "Channel width multiplier (1 = standard ResNet)", DefaultValueFactory = _ => 0.5 };
    public readonly Option<int> ImgSize = new("--img-size") { Description = "Square input size in pixels", DefaultValueFactory = _ => 64 };

    /// <summary>Every option, in help order.</summary>
    public IEnumerable<Option> All =>
    [
        Data, Csv, SkipBad, LimitTrain, MaxLabel,
        Training.ConR, Training.Window, Training.Beta, BetaWarmup, Training.Tau, Training.Pushing, Training.Variant, Step,
        Training.Reweight, Training.Lds, Training.LdsKernel, Training.LdsKs, Training.LdsSigma,
        Fds, FdsKernel, FdsKs, FdsSigma, StartUpdate, StartSmooth, BucketStart, BucketNum, FdsMomentum, FdsClamp,
        Bmse, BmseImp, BmseSigma, BmseLearnSigma, BmseSigmaLr, GaiComponents,
        RankSim, RankSimGamma, RankSimLambda, RrtFrom,
        Loss, Arch, Init, Width, ImgSize, CropPadding,
        Training.Epochs, Training.BatchSize, Training.Lr, Training.Schedule, Training.Seed, Training.Workers, Training.Precision,
    ];

    /// <summary>The options that choose a method (or the seed); `compare` sets these per run of its grid.</summary>
    public IEnumerable<Option> Switches => [Training.ConR, Training.Reweight, Training.Lds, Fds, Bmse, RankSim, RrtFrom, Training.Seed];

    public void CheckGates(ParseResult parse)
    {
        Training.RequireConRSwitch(parse, BetaWarmup, Step);
        Training.RequireLdsSwitch(parse);
        CommonOptions.RequireGate(parse, Fds, FdsKernel, FdsKs, FdsSigma, StartUpdate, StartSmooth, BucketStart, BucketNum, FdsMomentum, FdsClamp);
        CommonOptions.RequireGate(parse, Bmse, BmseImp, BmseSigma, BmseLearnSigma, BmseSigmaLr, GaiComponents);
        CommonOptions.RequireGate(parse, BmseLearnSigma, BmseSigmaLr);
        CommonOptions.RequireGate(parse, RankSim, RankSimGamma, RankSimLambda);
    }

    /// <summary>The run configuration the flags describe (not yet validated).</summary>
    public AgeTrainConfig Build(ParseResult parse)
    {
        var dataDir = Path.GetFullPath(parse.GetValue(Data)!);
        var (clampLow, clampHigh) = ParseClamp(parse.GetValue(FdsClamp)!);
        var rrtFrom = parse.GetValue(RrtFrom);
        return Training.Bind(parse, new AgeTrainConfig
        {
            DataDir = dataDir,
            CsvPath = Path.GetFullPath(Path.Combine(dataDir, parse.GetValue(Csv)!)),
            SkipBad = parse.GetValue(SkipBad),
            LimitTrain = parse.GetValue(LimitTrain),
            MaxLabel = parse.GetValue(MaxLabel),
            ConRStep = parse.GetValue(Step)!,
            BetaWarmupEpochs = parse.GetValue(BetaWarmup) ?? AgeTrainConfig.DefaultBetaWarmup(parse.GetValue(Training.ConR), parse.GetValue(Training.Epochs)),
            CropPadding = parse.GetValue(CropPadding) ?? AgeAugmenter.DefaultPadding(parse.GetValue(ImgSize)),
            Fds = parse.GetValue(Fds),
            FdsKernel = parse.GetValue(FdsKernel)!,
            FdsKernelSize = parse.GetValue(FdsKs),
            FdsSigma = parse.GetValue(FdsSigma),
            FdsStartUpdate = parse.GetValue(StartUpdate),
            FdsStartSmooth = parse.GetValue(StartSmooth),
            FdsBucketStart = parse.GetValue(BucketStart),
            FdsBucketNum = parse.GetValue(BucketNum),
            FdsMomentum = parse.GetValue(FdsMomentum),
            FdsClampLow = clampLow,
            FdsClampHigh = clampHigh,
            Bmse = parse.GetValue(Bmse),
            BmseImp = parse.GetValue(BmseImp)!,
            BmseSigma = parse.GetValue(BmseSigma),
            BmseLearnSigma = parse.GetValue(BmseLearnSigma),
            BmseSigmaLr = parse.GetValue(BmseSigmaLr),
            GaiComponents = parse.GetValue(GaiComponents),
            RankSim = parse.GetValue(RankSim),
            RankSimGamma = parse.GetValue(RankSimGamma),
            RankSimLambda = parse.GetValue(RankSimLambda),
            RrtFrom = rrtFrom is null ? null : Path.GetFullPath(rrtFrom),
            Loss = parse.GetValue(Loss)!,
            Architecture = parse.GetValue(Arch)!,
            Init = parse.GetValue(Init)!,
            Width = parse.GetValue(Width),
            ImageSize = parse.GetValue(ImgSize),
        });
    }

    private static (double Low, double High) ParseClamp(string text)
    {
        var parts = text.Split(',');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var low)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var high))
        {
            return (low, high);
        }
        throw new ConfigurationException($"--fds-clamp must be two numbers lo,hi such as 0.1,10 (got '{text}')");
    }
}
