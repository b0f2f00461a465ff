using ConR.Shared.Imbalance;
using ConR.Training.ConR;

namespace ConR.Training.Engine;

/// <summary>
/// The training settings every task shares: optimiser and schedule, precision, re-weighting and LDS, ConR, and the
/// divergence guard. A task's config derives from it with its own <see cref="TrainingDefaults"/>; config.json stores
/// them flat beside the task's own settings.
/// </summary>
public abstract record TrainingOptions
{
    public const string Fp32 = "fp32", Bf16 = "bf16";

    protected TrainingOptions(TrainingDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        Epochs = defaults.Epochs;
        BatchSize = defaults.BatchSize;
        LearningRate = defaults.LearningRate;
        Schedule = defaults.Schedule;
        Seed = defaults.Seed;
        Workers = defaults.Workers;
        Precision = defaults.Precision;
        ExplodeFactor = defaults.ExplodeFactor;
        Reweight = defaults.Reweight;
        LdsKernel = defaults.LdsKernel;
        LdsKernelSize = defaults.LdsKernelSize;
        LdsSigma = defaults.LdsSigma;
        ConRVariant = defaults.ConRVariant;
        Window = defaults.Window;
        Beta = defaults.Beta;
        Temperature = defaults.Temperature;
        PushingScale = defaults.PushingScale;
    }

    public string Reweight { get; init; }
    public bool Lds { get; init; }
    public string LdsKernel { get; init; }
    public int LdsKernelSize { get; init; }
    public double LdsSigma { get; init; }

    public bool ConR { get; init; }

    /// <summary>Label window w: pairs whose labels are within w are positives.</summary>
    public double Window { get; init; }

    /// <summary>ConR's weight in L = L_R + beta * L_ConR.</summary>
    public double Beta { get; init; }
    public double Temperature { get; init; }
    public double PushingScale { get; init; }

    /// <summary>Which published form of ConR the task computes; each task validates and parses its own names.</summary>
    public string ConRVariant { get; init; }

    public int Epochs { get; init; }
    public int BatchSize { get; init; }
    public double LearningRate { get; init; }
    public string Schedule { get; init; }
    public double WeightDecay { get; init; }
    public int Seed { get; init; }
    public int Workers { get; init; }

    /// <summary>fp32, or bf16 compute with float32 master weights (<see cref="Bf16Shadow{TModule}"/>).</summary>
    public string Precision { get; init; }

    /// <summary>A step loss above this multiple of the recent median counts as an explosion and stops the run.</summary>
    public double ExplodeFactor { get; init; }

    /// <summary>Window, temperature and pushing scale as the loss takes them, in the task's form of ConR.</summary>
    public abstract ConROptions ConROptions();

    public ReweightMode ReweightMode() => ImbalanceFlags.ParseReweight(Reweight);

    public LdsOptions? LdsOptions() => ImbalanceFlags.Lds(Lds, LdsKernel, LdsKernelSize, LdsSigma);

    protected ConROptions ConROptions(global::ConR.Training.ConR.ConRVariant variant) => new()
    {
        Window = Window,
        Temperature = Temperature,
        PushingScale = PushingScale,
        Variant = variant,
    };

    /// <summary>Refuses shared settings that do not fit together; the task checks its ConR variant name first.</summary>
    /// <param name="precisions">The precisions the task accepts (age also takes auto, resolved before config.json is written).</param>
    protected void ValidateTrainingOptions(params string[] precisions)
    {
        var reweight = ReweightMode();
        if (Lds && reweight == Shared.Imbalance.ReweightMode.None)
            throw new ConfigurationException("--lds smooths the re-weighting: add --reweight sqrt_inv or --reweight inverse");
        if (!Enum.TryParse<LdsKernelKind>(LdsKernel, true, out _)) throw new ConfigurationException($"--lds-kernel must be gaussian, triang or laplace (got '{LdsKernel}')");
        try
        {
            if (Lds) LdsOptions()!.Validate();
            ConROptions().Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationException(ex.Message);
        }
        if (Epochs < 1) throw new ConfigurationException("--epochs must be at least 1");
        if (BatchSize < 2) throw new ConfigurationException("--batch-size must be at least 2 (ConR and BatchNorm need pairs)");
        if (!(LearningRate > 0)) throw new ConfigurationException("--lr must be positive");
        if (Schedule is not ("cosine" or "step" or "constant")) throw new ConfigurationException("--schedule must be cosine, step or constant");
        if (!(Beta >= 0)) throw new ConfigurationException("--beta must be >= 0");
        if (!(ExplodeFactor > 1)) throw new ConfigurationException("--explode-factor must be greater than 1");
        if (!precisions.Contains(Precision)) throw new ConfigurationException($"--precision must be {string.Join(", ", precisions[..^1])} or {precisions[^1]}");
        if (Workers < 1) throw new ConfigurationException("--workers must be at least 1");
    }
}
