using ConR.Shared.Metrics.Depth;
using ConR.Training.ConR;
using ConR.Training.Depth.Data;
using ConR.Training.Depth.Losses;
using ConR.Training.Depth.Models;
using ConR.Training.Encoder;
using ConR.Training.Encoder.Pretrained;
using ConR.Training.Engine;

namespace ConR.Training.Depth;

/// <summary>
/// Everything that determines a depth run; saved as config.json (with <c>"task": "depth"</c>, which age runs lack)
/// so eval, resume and export rebuild it exactly.
/// </summary>
public sealed record DepthTrainConfig() : TrainingOptions(Defaults)
{
    /// <summary>The depth defaults of the shared settings: the official NYUD2 ConR (w 0.2 m, tau 0.2, e 0.2, beta 0.2), batches of 32.</summary>
    public static TrainingDefaults Defaults { get; } = new()
    {
        BatchSize = 32,
        ConRVariant = nameof(DepthConRVariant.OfficialDepth),
        Window = 0.2,
        Beta = 0.2,
        Temperature = 0.2,
        PushingScale = 0.2,
    };

    public const int CurrentFormat = 1;
    public const string TaskName = "depth";

    public int Format { get; init; } = CurrentFormat;

    /// <summary>Always "depth"; eval and export dispatch on it.</summary>
    public string Task { get; init; } = TaskName;

    public required string DataDir { get; init; }
    public required string TrainCsv { get; init; }
    public required string ValCsv { get; init; }
    public string? TestCsv { get; init; }

    /// <summary>auto | nyu8bit | mm16 (see <see cref="DepthEncoding"/>).</summary>
    public string Encoding { get; init; } = "auto";
    public bool SkipBad { get; init; }
    public int? LimitTrain { get; init; }

    public string Architecture { get; init; } = "resnet18";
    public double Width { get; init; } = 0.25;

    /// <summary>
    /// Where the encoder's weights start: <see cref="NoInit"/> (He-normal, from scratch) or
    /// <see cref="ImageNetResNet18.InitName"/> (<see cref="DepthImageNetInit"/>). A config.json from before this field
    /// reads as none, which is what those runs did.
    /// </summary>
    public string Init { get; init; } = NoInit;

    public const string NoInit = EncoderInit.None;

    /// <summary>Network input (and evaluation) width and height in pixels.</summary>
    public int ImageWidth { get; init; } = 64;
    public int ImageHeight { get; init; } = 48;

    /// <summary>Images are scaled so their shorter side is this long, then centre-cropped; 0 = the shorter of ImageWidth/ImageHeight (no crop for matching aspect).</summary>
    public int ScaleShorterSide { get; init; }

    /// <summary>Output map size as a fraction of the input (NYUD2: 0.5).</summary>
    public double OutputFraction { get; init; } = 0.5;

    /// <summary>
    /// <see cref="DepthDecoders.Stride4"/> | <see cref="DepthDecoders.Full"/>. A config.json from before this field
    /// reads as stride4, the decoder those runs were trained with.
    /// </summary>
    public string Decoder { get; init; } = DepthDecoders.Stride4;

    /// <summary>Paired augmentation on the training split (flip, rotation, PCA lighting, colour jitter).</summary>
    public bool Augment { get; init; } = true;
    public double MaxRotationDegrees { get; init; } = 5;

    /// <summary>mse | l1 | bni.</summary>
    public string Loss { get; init; } = "mse";

    /// <summary>Balanced MSE (BNI) noise sigma, fixed (the NYUD2 README's --init_noise_sigma 1 --fix_noise_sigma).</summary>
    public double BniSigma { get; init; } = 1.0;

    /// <summary>Balanced MSE is computed on pixels with depth >= this (m), as the official NYUD2 code.</summary>
    public double BniMinDepth { get; init; } = 0.7;

    /// <summary>Dense variant: maps are average-pooled to DensePool x DensePool cells before comparing.</summary>
    public int DensePool { get; init; } = 8;

    /// <summary>Seed of the balanced val/test masks (fixed so every run scores the same pixels).</summary>
    public int MaskSeed { get; init; } = 666;

    /// <summary>
    /// Bins of a val/test split with fewer valid pixels are left out of its balanced mask (1 = NYUD2-DIR's rule). Runs
    /// recorded before this setting existed read as 1, which is how they were scored.
    /// </summary>
    public long MaskMinBinPixels { get; init; } = BalancedDepthMask.OfficialMinBinPixels;

    public int EffectiveScaleShorterSide => ScaleShorterSide > 0 ? ScaleShorterSide : Math.Min(ImageWidth, ImageHeight);

    public DepthModelSpec ModelSpec() => new(Architecture, Width, ImageWidth, ImageHeight, OutputFraction, Decoder);

    public DepthEncoding DepthEncoding() => Encoding.ToLowerInvariant() switch
    {
        "auto" => Data.DepthEncoding.Auto,
        "nyu8bit" or "8bit" => Data.DepthEncoding.Nyu8BitTenMetres,
        "mm16" or "16bit" or "mm" => Data.DepthEncoding.Millimetres16,
        _ => throw new ConfigurationException($"--encoding must be auto, nyu8bit or mm16 (got '{Encoding}')"),
    };

    public DepthLossKind LossKind() => Loss.ToLowerInvariant() switch
    {
        "mse" => DepthLossKind.Mse,
        "l1" => DepthLossKind.L1,
        "bni" => DepthLossKind.Bni,
        _ => throw new ConfigurationException($"--loss must be mse, l1 or bni (got '{Loss}')"),
    };

    public DepthConRVariant Variant() => Enum.TryParse<DepthConRVariant>(ConRVariant, true, out var v)
        ? v
        : throw new ConfigurationException($"--conr-variant must be OfficialDepth or Dense (got '{ConRVariant}')");

    /// <summary>Both depth variants compute the official NYUD2 form; they differ in the label distance (<see cref="Variant"/>).</summary>
    public override ConROptions ConROptions() => ConROptions(global::ConR.Training.ConR.ConRVariant.OfficialDepth);

    /// <summary>Refuses settings that do not fit together, with a message a user can act on.</summary>
    public void Validate()
    {
        if (Format != CurrentFormat) throw new ConfigurationException($"run format {Format} is not supported (expected {CurrentFormat})");
        if (Task != TaskName) throw new ConfigurationException($"not a depth run (task '{Task}')");
        _ = DepthEncoding();
        _ = LossKind();
        _ = Variant();
        ValidateTrainingOptions(PrecisionChoice.Auto, Fp32, Bf16);
        try
        {
            _ = ResNetArchitecture.Parse(Architecture);
            _ = ResNetArchitecture.StageWidths(Width);
            ModelSpec().Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationException(ex.Message);
        }
        ValidateInit();
        if (DensePool is < 1 or > 64) throw new ConfigurationException("--dense-pool must be between 1 and 64");
        if (!(BniSigma > 0)) throw new ConfigurationException("--bni-sigma must be positive");
        if (LimitTrain is < 2) throw new ConfigurationException("--limit-train must be at least 2");
        if (MaskMinBinPixels < 1) throw new ConfigurationException("--mask-min-bin-pixels must be at least 1 (1 = NYUD2-DIR's rule)");
        if (!(MaxRotationDegrees >= 0 && MaxRotationDegrees < 180)) throw new ConfigurationException("--max-rotation must be in [0, 180)");
        if (ScaleShorterSide < 0) throw new ConfigurationException("--scale-shorter-side must be >= 0");
        if (ScaleShorterSide > 0 && ScaleShorterSide < Math.Min(ImageWidth, ImageHeight))
            throw new ConfigurationException("--scale-shorter-side must be at least the crop's shorter side");
    }

    private void ValidateInit()
    {
        if (!EncoderInit.IsImageNet(Init)) return;
        DepthImageNetInit.CheckSpec(ModelSpec());
    }
}
