using ConR.Shared.Imbalance;
using ConR.Training.Age.Losses;
using ConR.Training.Age.Models;
using ConR.Training.ConR;
using ConR.Training.Encoder;
using ConR.Training.Encoder.Pretrained;
using ConR.Training.Engine;
using ConR.Training.Methods;

namespace ConR.Training.Age;

/// <summary>Everything that determines an age run; saved as config.json so eval, resume and export rebuild it exactly.</summary>
public sealed record AgeTrainConfig() : TrainingOptions(Defaults)
{
    /// <summary>The age defaults of the shared settings: the official age ConR (digest 1.5), batches of 64.</summary>
    public static TrainingDefaults Defaults { get; } = new()
    {
        BatchSize = 64,
        ConRVariant = nameof(global::ConR.Training.ConR.ConRVariant.OfficialAge),
        Window = 1.0,
        Beta = 4.0,
        Temperature = 0.07,
        PushingScale = 0.01,
    };

    /// <summary>2: adds <see cref="ConRStep"/>. Format 1 runs (single forward pass, the only step then) are migrated on read.</summary>
    public const int CurrentFormat = 2;

    public int Format { get; init; } = CurrentFormat;
    public required string DataDir { get; init; }
    public required string CsvPath { get; init; }
    public bool SkipBad { get; init; }
    public int? LimitTrain { get; init; }

    /// <summary>Rows with an age above this are bad rows (refused, or skipped with --skip-bad).</summary>
    public double MaxLabel { get; init; } = Data.DirCsvReader.DefaultMaxAge;

    public string Architecture { get; init; } = "resnet18";

    /// <summary>
    /// Where the encoder's weights start: <see cref="NoInit"/> (He-normal, from scratch) or
    /// <see cref="ImageNetResNet18.InitName"/> (<see cref="AgeImageNetInit"/>). A config.json from before this field reads as none,
    /// which is what those runs did.
    /// </summary>
    public string Init { get; init; } = NoInit;

    public const string NoInit = EncoderInit.None;

    public double Width { get; init; } = 0.5;
    public int ImageSize { get; init; } = 64;

    public string Loss { get; init; } = "l1";

    /// <summary>The ConR warm-up a run gets unless it names one: see <see cref="DefaultBetaWarmup"/>.</summary>
    public const double DefaultBetaWarmupEpochs = 2;

    /// <summary>
    /// Epochs over which beta ramps linearly from 0 to <see cref="TrainingOptions.Beta"/> (per step); 0: full beta from the first step.
    /// </summary>
    public double BetaWarmupEpochs { get; init; }

    /// <summary>
    /// Random-crop padding in pixels. The command line always records one (<see cref="Data.AgeAugmenter.DefaultPadding"/>
    /// unless given); null is a configuration written before that, trained with <see cref="Data.AgeAugmenter.LegacyPadding"/>.
    /// </summary>
    public int? CropPadding { get; init; }

    /// <summary>The padding this run's augmentation uses (see <see cref="CropPadding"/>).</summary>
    public int EffectiveCropPadding() => CropPadding ?? Data.AgeAugmenter.LegacyPadding(ImageSize);

    /// <summary>This config with its padding recorded: how it is written, read back and compared.</summary>
    public AgeTrainConfig WithRecordedCropPadding() => this with { CropPadding = EffectiveCropPadding() };

    /// <summary>How the views pass through the network: official | single-forward | two-view (<see cref="ConRStepKind"/>).</summary>
    public string ConRStep { get; init; } = "official";

    // The methods below (docs/methods.md) all default to off, so a config.json written before they existed, which
    // lacks these properties, deserialises to exactly the run it described.

    /// <summary>Feature distribution smoothing of the pooled features (statistics saved as fds.bin per checkpoint).</summary>
    public bool Fds { get; init; }
    public string FdsKernel { get; init; } = "gaussian";
    public int FdsKernelSize { get; init; } = 5;
    public double FdsSigma { get; init; } = 2;
    public int FdsStartUpdate { get; init; }
    public int FdsStartSmooth { get; init; } = 1;
    public int FdsBucketStart { get; init; } = 3;
    public int FdsBucketNum { get; init; } = 100;
    public double FdsMomentum { get; init; } = 0.9;
    public double FdsClampLow { get; init; } = 0.1;
    public double FdsClampHigh { get; init; } = 10;

    /// <summary>Balanced MSE in place of the MSE loss (needs Loss = mse).</summary>
    public bool Bmse { get; init; }
    public string BmseImp { get; init; } = "bni";
    public double BmseSigma { get; init; } = 1.0;
    public bool BmseLearnSigma { get; init; }
    public double BmseSigmaLr { get; init; } = 0.01;
    public int? GaiComponents { get; init; }

    /// <summary>RankSim regularizer on the features of the L_R view: L += gamma * RankSim(lambda).</summary>
    public bool RankSim { get; init; }
    public double RankSimGamma { get; init; } = 100;
    public double RankSimLambda { get; init; } = 2;

    /// <summary>Regressor re-training: the run folder whose best encoder is loaded and frozen (null: a normal run).</summary>
    public string? RrtFrom { get; init; }

    public ModelSpec ModelSpec() => new(Models.ModelSpec.AgeTask, Architecture, Width, ImageSize);

    public override ConROptions ConROptions() => ConROptions(Enum.Parse<ConRVariant>(ConRVariant, ignoreCase: true));

    public ConRStepKind ConRStepKind() => ConRStepKinds.Parse(ConRStep);

    /// <summary>
    /// The warm-up of a ConR run that names none: 2 epochs, or a quarter of a shorter run. Why (docs/results.md, issue
    /// 18): from a cold start at full beta, ConR can hold the features in a stall that lasts most of a short run, and
    /// whether it does is decided by the random stream, in the independent reference trainer as in this one; a 2-epoch
    /// ramp removed the stall in every seed measured. Without ConR it is 0.
    /// </summary>
    public static double DefaultBetaWarmup(bool conr, int epochs) => conr ? Math.Min(DefaultBetaWarmupEpochs, epochs / 4.0) : 0;

    /// <summary>beta at a point of training: the linear warm-up over <see cref="BetaWarmupEpochs"/>, then <see cref="TrainingOptions.Beta"/>.</summary>
    /// <param name="epochProgress">Epochs completed, fractional within an epoch (0 at the first step).</param>
    public double BetaAt(double epochProgress) => BetaWarmupEpochs <= 0 ? Beta : Beta * Math.Min(1, epochProgress / BetaWarmupEpochs);

    /// <summary>
    /// Reads a run's config.json, migrating older formats: a format 1 ConR run trained its three views in one forward
    /// pass, so it becomes <c>--conr-step single-forward</c> (a run without ConR keeps the default, which it never used);
    /// a config without a crop padding gets the one it was trained with (<see cref="EffectiveCropPadding"/>).
    /// </summary>
    public static AgeTrainConfig Read(string path)
    {
        var saved = RunDirectory.ReadJson<AgeTrainConfig>(path);
        saved = saved.WithRecordedCropPadding();
        return saved.Format != 1 ? saved : saved with
        {
            Format = CurrentFormat,
            ConRStep = saved.ConR ? ConRStepKinds.Names[(int)global::ConR.Training.Age.ConRStepKind.SingleForward] : saved.ConRStep,
        };
    }

    public FdsOptions FdsOptions() => new()
    {
        Kernel = Enum.TryParse<LdsKernelKind>(FdsKernel, true, out var kind) ? kind : (LdsKernelKind)(-1),
        KernelSize = FdsKernelSize,
        Sigma = FdsSigma,
        BucketStart = FdsBucketStart,
        BucketNum = FdsBucketNum,
        StartUpdate = FdsStartUpdate,
        StartSmooth = FdsStartSmooth,
        Momentum = FdsMomentum,
        ClampLow = FdsClampLow,
        ClampHigh = FdsClampHigh,
    };

    public BalancedMseKind BalancedMseKind() => BmseImp.ToLowerInvariant() switch
    {
        "bmc" => Methods.BalancedMseKind.Bmc,
        "bni" => Methods.BalancedMseKind.Bni,
        "gai" => Methods.BalancedMseKind.Gai,
        _ => throw new ConfigurationException($"--bmse-imp must be bmc, bni or gai (got '{BmseImp}')"),
    };

    /// <summary>Refuses settings that do not fit together, with a message a user can act on.</summary>
    public void Validate()
    {
        if (Format != CurrentFormat) throw new ConfigurationException($"run format {Format} is not supported (expected {CurrentFormat})");
        if (!Enum.TryParse<ConRVariant>(ConRVariant, true, out _)) throw new ConfigurationException($"--conr-variant must be OfficialAge, OfficialDepth or Clean (got '{ConRVariant}')");
        if (!ConRStepKinds.Names.Contains(ConRStep.ToLowerInvariant())) throw new ConfigurationException($"--conr-step must be {string.Join(", ", ConRStepKinds.Names)} (got '{ConRStep}')");
        if (RankSim && BatchSize < 2) throw new ConfigurationException("--ranksim compares samples within a batch: --batch-size must be at least 2");
        // auto is resolved before config.json is written (PrecisionChoice); a saved run names fp32 or bf16.
        ValidateTrainingOptions(PrecisionChoice.Auto, Fp32, Bf16);
        try
        {
            _ = RegressionLoss.Parse(Loss);
            _ = ResNetArchitecture.Parse(Architecture);
            _ = ResNetArchitecture.StageWidths(Width);
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationException(ex.Message);
        }
        ValidateInit();
        if (ImageSize is < 16 or > 512) throw new ConfigurationException("--img-size must be between 16 and 512");
        if (!(BetaWarmupEpochs >= 0) || BetaWarmupEpochs > Epochs) throw new ConfigurationException($"--beta-warmup must be between 0 and --epochs {Epochs} (got {BetaWarmupEpochs})");
        if (CropPadding is < 0 || CropPadding >= ImageSize) throw new ConfigurationException($"--crop-padding must be between 0 and --img-size - 1 (got {CropPadding})");
        if (LimitTrain is < 2) throw new ConfigurationException("--limit-train must be at least 2");
        if (!(MaxLabel > 0) || double.IsInfinity(MaxLabel)) throw new ConfigurationException($"--max-label must be a positive number (got {MaxLabel})");
        ValidateMethods(ReweightMode());
    }

    private void ValidateInit()
    {
        if (!EncoderInit.IsImageNet(Init)) return;
        AgeImageNetInit.CheckSpec(ModelSpec());
        if (RrtFrom is not null) throw new ConfigurationException($"--rrt-from loads the encoder of a trained run; --init {Init} would be overwritten: drop one");
    }

    private void ValidateMethods(ReweightMode reweight)
    {
        if (Fds)
        {
            if (!Enum.TryParse<LdsKernelKind>(FdsKernel, true, out _)) throw new ConfigurationException($"--fds-kernel must be gaussian, triang or laplace (got '{FdsKernel}')");
            try
            {
                FdsOptions().Validate();
            }
            catch (ArgumentException ex)
            {
                throw new ConfigurationException(ex.Message);
            }
        }

        var bmseKind = BalancedMseKind();
        if (Bmse)
        {
            if (RegressionLoss.Parse(Loss) != RegressionLossKind.Mse)
                throw new ConfigurationException($"--bmse replaces the MSE loss: use it with --loss mse (got --loss {Loss})");
            if (reweight != Shared.Imbalance.ReweightMode.None)
                throw new ConfigurationException("--bmse already balances the label distribution: drop --reweight (and --lds)");
            if (bmseKind == Methods.BalancedMseKind.Gai && GaiComponents is null)
                throw new ConfigurationException("--bmse-imp gai fits a Gaussian mixture to the training labels: add --gai-components K (e.g. 8)");
            if (!(BmseSigma > 0) || double.IsInfinity(BmseSigma)) throw new ConfigurationException($"--bmse-sigma must be positive (got {BmseSigma})");
            if (!(BmseSigmaLr > 0)) throw new ConfigurationException($"--bmse-sigma-lr must be positive (got {BmseSigmaLr})");
        }
        if (GaiComponents is not null && !(Bmse && bmseKind == Methods.BalancedMseKind.Gai))
            throw new ConfigurationException("--gai-components only applies with --bmse --bmse-imp gai");
        if (GaiComponents is < 1) throw new ConfigurationException("--gai-components must be at least 1");

        if (RankSim)
        {
            if (!(RankSimLambda > 0) || double.IsInfinity(RankSimLambda)) throw new ConfigurationException($"--ranksim-lambda must be positive (got {RankSimLambda})");
            if (!(RankSimGamma >= 0) || double.IsInfinity(RankSimGamma)) throw new ConfigurationException($"--ranksim-gamma must be >= 0 (got {RankSimGamma})");
        }

        if (RrtFrom is not null)
        {
            if (string.IsNullOrWhiteSpace(RrtFrom)) throw new ConfigurationException("--rrt-from needs the folder of a trained age run");
            if (Fds) throw new ConfigurationException("--fds calibrates the encoder's features while they train; --rrt-from freezes the encoder: drop one");
            if (ConR) throw new ConfigurationException("--conr shapes the encoder's features; --rrt-from freezes the encoder, so ConR would change nothing: drop --conr");
            if (RankSim) throw new ConfigurationException("--ranksim shapes the encoder's features; --rrt-from freezes the encoder: drop --ranksim");
            if (reweight == Shared.Imbalance.ReweightMode.None && !Bmse)
                throw new ConfigurationException("--rrt-from retrains the regressor with re-weighting: add --reweight sqrt_inv or --reweight inverse (or --bmse)");
        }
    }
}
