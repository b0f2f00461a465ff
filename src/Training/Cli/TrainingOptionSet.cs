using System.CommandLine;
using ConR.Training.Engine;

namespace ConR.Training.Cli;

/// <summary>
/// The flags of the shared training settings (<see cref="TrainingOptions"/>), declared once for every task: optimiser
/// and schedule, precision, re-weighting and LDS, ConR. Defaults come from the task's <see cref="TrainingDefaults"/>,
/// wording from its <see cref="TaskTrainingFlags"/>. Each command adds the options it offers, in its own help order;
/// a setting whose flag it leaves out keeps the config's value.
/// </summary>
internal sealed class TrainingOptionSet
{
    public TrainingOptionSet(TrainingDefaults defaults, TaskTrainingFlags flags)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(flags);
        ConR = new("--conr") { Description = flags.ConR };
        Window = new("--w") { Description = flags.Window, DefaultValueFactory = _ => defaults.Window };
        Beta = new("--beta") { Description = "ConR weight beta in L = L_R + beta * L_ConR", DefaultValueFactory = _ => defaults.Beta };
        Tau = new("--tau") { Description = flags.Temperature, DefaultValueFactory = _ => defaults.Temperature };
        Pushing = new("--e") { Description = flags.PushingScale, DefaultValueFactory = _ => defaults.PushingScale };
        Variant = new("--conr-variant") { Description = flags.ConRVariant, DefaultValueFactory = _ => defaults.ConRVariant };
        Reweight = new("--reweight") { Description = flags.Reweight, DefaultValueFactory = _ => defaults.Reweight };
        Lds = new("--lds") { Description = "Label distribution smoothing of the re-weighting (needs --reweight)" };
        LdsKernel = new("--lds-kernel") { Description = "gaussian | triang | laplace", DefaultValueFactory = _ => defaults.LdsKernel };
        LdsKs = new("--lds-ks") { Description = "LDS kernel size (odd)", DefaultValueFactory = _ => defaults.LdsKernelSize };
        LdsSigma = new("--lds-sigma") { Description = "LDS kernel sigma", DefaultValueFactory = _ => defaults.LdsSigma };
        Epochs = new("--epochs") { DefaultValueFactory = _ => defaults.Epochs };
        BatchSize = new("--batch-size") { DefaultValueFactory = _ => defaults.BatchSize };
        Lr = new("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => defaults.LearningRate };
        Schedule = new("--schedule") { Description = "cosine | step | constant", DefaultValueFactory = _ => defaults.Schedule };
        Seed = new("--seed") { DefaultValueFactory = _ => defaults.Seed };
        Workers = new("--workers") { Description = "Data preparation threads", DefaultValueFactory = _ => defaults.Workers };
        Precision = new("--precision") { Description = flags.Precision, DefaultValueFactory = _ => flags.PrecisionDefault };
        ExplodeFactor = new("--explode-factor")
        {
            Description = "Stop when a step's loss exceeds this multiple of the recent median (heavy re-weighting needs more)",
            DefaultValueFactory = _ => defaults.ExplodeFactor,
        };
    }

    public Option<bool> ConR { get; }
    public Option<double> Window { get; }
    public Option<double> Beta { get; }
    public Option<double> Tau { get; }
    public Option<double> Pushing { get; }
    public Option<string> Variant { get; }
    public Option<string> Reweight { get; }
    public Option<bool> Lds { get; }
    public Option<string> LdsKernel { get; }
    public Option<int> LdsKs { get; }
    public Option<double> LdsSigma { get; }
    public Option<int> Epochs { get; }
    public Option<int> BatchSize { get; }
    public Option<double> Lr { get; }
    public Option<string> Schedule { get; }
    public Option<int> Seed { get; }
    public Option<int> Workers { get; }
    public Option<string> Precision { get; }

    public Option<double> ExplodeFactor { get; }

    /// <summary>Refuses ConR's settings without --conr; <paramref name="taskSettings"/> are the task's own ConR flags.</summary>
    public void RequireConRSwitch(ParseResult parse, params Option[] taskSettings) =>
        CommonOptions.RequireGate(parse, ConR, [Window, Beta, Tau, Pushing, Variant, .. taskSettings]);

    /// <summary>Refuses LDS's settings without --lds.</summary>
    public void RequireLdsSwitch(ParseResult parse) => CommonOptions.RequireGate(parse, Lds, LdsKernel, LdsKs, LdsSigma);

    /// <summary><paramref name="config"/> with the shared settings the flags give (the task's own settings untouched).</summary>
    public TConfig Bind<TConfig>(ParseResult parse, TConfig config)
        where TConfig : TrainingOptions
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(config);
        // GetResult is null for an option the command does not offer.
        T Value<T>(Option<T> option, T current) => parse.GetResult(option) is null ? current : parse.GetValue(option)!;
        TrainingOptions bound = config with
        {
            ConR = Value(ConR, config.ConR),
            Window = Value(Window, config.Window),
            Beta = Value(Beta, config.Beta),
            Temperature = Value(Tau, config.Temperature),
            PushingScale = Value(Pushing, config.PushingScale),
            ConRVariant = Value(Variant, config.ConRVariant),
            Reweight = Value(Reweight, config.Reweight),
            Lds = Value(Lds, config.Lds),
            LdsKernel = Value(LdsKernel, config.LdsKernel),
            LdsKernelSize = Value(LdsKs, config.LdsKernelSize),
            LdsSigma = Value(LdsSigma, config.LdsSigma),
            Epochs = Value(Epochs, config.Epochs),
            BatchSize = Value(BatchSize, config.BatchSize),
            LearningRate = Value(Lr, config.LearningRate),
            Schedule = Value(Schedule, config.Schedule),
            Seed = Value(Seed, config.Seed),
            Workers = Value(Workers, config.Workers),
            Precision = Value(Precision, config.Precision),
            ExplodeFactor = Value(ExplodeFactor, config.ExplodeFactor),
        };
        return (TConfig)bound;
    }
}
