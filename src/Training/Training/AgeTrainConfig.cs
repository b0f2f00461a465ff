using ConR.Shared.Imbalance;
using ConR.Training.Losses;
using ConR.Training.Models;

namespace ConR.Training.Training;

/// <summary>Everything that determines an age run; saved as config.json so eval, resume and export rebuild it exactly.</summary>
public sealed record AgeTrainConfig
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public required string DataDir { get; init; }
    public required string CsvPath { get; init; }
    public bool SkipBad { get; init; }
    public int? LimitTrain { get; init; }

    public string Architecture { get; init; } = "resnet18";
    public double Width { get; init; } = 0.5;
    public int ImageSize { get; init; } = 64;

    public string Loss { get; init; } = "l1";
    public string Reweight { get; init; } = "none";
    public bool Lds { get; init; }
    public string LdsKernel { get; init; } = "gaussian";
    public int LdsKernelSize { get; init; } = 5;
    public double LdsSigma { get; init; } = 2;

    public bool ConR { get; init; }
    public double Window { get; init; } = 1.0;
    public double Beta { get; init; } = 4.0;
    public double Temperature { get; init; } = 0.07;
    public double PushingScale { get; init; } = 0.01;
    public string ConRVariant { get; init; } = nameof(Losses.ConRVariant.OfficialAge);

    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 1e-3;
    public string Schedule { get; init; } = "cosine";
    public double WeightDecay { get; init; }
    public int Seed { get; init; } = 1;
    public int Workers { get; init; } = 2;

    /// <summary>fp32, or bf16 compute with float32 master weights (several times faster on CPUs with AMX).</summary>
    public string Precision { get; init; } = "fp32";

    /// <summary>A step loss above this multiple of the recent median counts as an explosion and stops the run.</summary>
    public double ExplodeFactor { get; init; } = 50;

    public ModelSpec ModelSpec() => new(Models.ModelSpec.AgeTask, Architecture, Width, ImageSize);

    public ConROptions ConROptions() => new()
    {
        Window = Window,
        Temperature = Temperature,
        PushingScale = PushingScale,
        Variant = Enum.Parse<ConRVariant>(ConRVariant, ignoreCase: true),
    };

    public ReweightMode ReweightMode() => Reweight.ToLowerInvariant() switch
    {
        "none" => Shared.Imbalance.ReweightMode.None,
        "sqrt_inv" => Shared.Imbalance.ReweightMode.SqrtInv,
        "inverse" => Shared.Imbalance.ReweightMode.Inverse,
        _ => throw new ConfigurationException($"--reweight must be none, sqrt_inv or inverse (got '{Reweight}')"),
    };

    public LdsOptions? LdsOptions() => Lds
        ? new LdsOptions(Enum.Parse<LdsKernelKind>(LdsKernel, ignoreCase: true), LdsKernelSize, LdsSigma)
        : null;

    /// <summary>Refuses settings that do not fit together, with a message a user can act on.</summary>
    public void Validate()
    {
        if (Format != CurrentFormat) throw new ConfigurationException($"run format {Format} is not supported (expected {CurrentFormat})");
        var reweight = ReweightMode();
        if (Lds && reweight == Shared.Imbalance.ReweightMode.None)
            throw new ConfigurationException("--lds smooths the re-weighting: add --reweight sqrt_inv or --reweight inverse");
        if (!Enum.TryParse<LdsKernelKind>(LdsKernel, true, out _)) throw new ConfigurationException($"--lds-kernel must be gaussian, triang or laplace (got '{LdsKernel}')");
        if (Lds) LdsOptions()!.Validate();
        if (!Enum.TryParse<ConRVariant>(ConRVariant, true, out _)) throw new ConfigurationException($"--conr-variant must be OfficialAge, OfficialDepth or Clean (got '{ConRVariant}')");
        try
        {
            ConROptions().Validate();
            _ = RegressionLoss.Parse(Loss);
            _ = ResNetArchitecture.Parse(Architecture);
            _ = ResNetArchitecture.StageWidths(Width);
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationException(ex.Message);
        }
        if (ImageSize is < 16 or > 512) throw new ConfigurationException("--img-size must be between 16 and 512");
        if (Epochs < 1) throw new ConfigurationException("--epochs must be at least 1");
        if (BatchSize < 2) throw new ConfigurationException("--batch-size must be at least 2 (ConR and BatchNorm need pairs)");
        if (!(LearningRate > 0)) throw new ConfigurationException("--lr must be positive");
        if (Schedule is not ("cosine" or "step" or "constant")) throw new ConfigurationException("--schedule must be cosine, step or constant");
        if (!(Beta >= 0)) throw new ConfigurationException("--beta must be >= 0");
        if (Precision is not ("fp32" or "bf16")) throw new ConfigurationException("--precision must be fp32 or bf16");
        if (Workers < 1) throw new ConfigurationException("--workers must be at least 1");
        if (LimitTrain is < 2) throw new ConfigurationException("--limit-train must be at least 2");
    }
}

/// <summary>A user error in the command line or a run directory: printed without a stack trace.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
