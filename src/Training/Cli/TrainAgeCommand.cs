using System.CommandLine;
using ConR.Training.Training;

namespace ConR.Training.Cli;

/// <summary>`conr-train train age`: parses flags into an <see cref="AgeTrainConfig"/> and runs the trainer.</summary>
internal static class TrainAgeCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data folder the CSV paths are relative to", Required = true };
        var csv = new Option<string>("--csv") { Description = "Split file with columns age,path,split (relative to --data or absolute)", Required = true };
        var skipBad = new Option<bool>("--skip-bad") { Description = "Skip (and count) bad rows and unreadable images instead of stopping" };
        var limitTrain = new Option<int?>("--limit-train") { Description = "Use a deterministic subset of N train images (quick runs)" };
        var conr = new Option<bool>("--conr") { Description = "Add the ConR regularizer (three views per sample)" };
        var window = new Option<double>("--w") { Description = "ConR label window w (years)", DefaultValueFactory = _ => 1.0 };
        var beta = new Option<double>("--beta") { Description = "ConR weight beta in L = L_R + beta * L_ConR", DefaultValueFactory = _ => 4.0 };
        var tau = new Option<double>("--tau") { Description = "ConR temperature (the official age code uses 0.07)", DefaultValueFactory = _ => 0.07 };
        var pushing = new Option<double>("--e") { Description = "ConR pushing scale e", DefaultValueFactory = _ => 0.01 };
        var variant = new Option<string>("--conr-variant") { Description = "OfficialAge | Clean", DefaultValueFactory = _ => "OfficialAge" };
        var reweight = new Option<string>("--reweight") { Description = "none | sqrt_inv | inverse", DefaultValueFactory = _ => "none" };
        var lds = new Option<bool>("--lds") { Description = "Label distribution smoothing of the re-weighting (needs --reweight)" };
        var ldsKernel = new Option<string>("--lds-kernel") { Description = "gaussian | triang | laplace", DefaultValueFactory = _ => "gaussian" };
        var ldsKs = new Option<int>("--lds-ks") { Description = "LDS kernel size (odd)", DefaultValueFactory = _ => 5 };
        var ldsSigma = new Option<double>("--lds-sigma") { Description = "LDS kernel sigma", DefaultValueFactory = _ => 2.0 };
        var loss = new Option<string>("--loss") { Description = "l1 | mse | huber | focal_l1 | focal_mse", DefaultValueFactory = _ => "l1" };
        var arch = new Option<string>("--arch") { Description = "resnet18 | resnet34 | resnet50", DefaultValueFactory = _ => "resnet18" };
        var width = new Option<double>("--width") { Description = "Channel width multiplier (1 = standard ResNet)", DefaultValueFactory = _ => 0.5 };
        var imgSize = new Option<int>("--img-size") { Description = "Square input size in pixels", DefaultValueFactory = _ => 64 };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 10 };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => 64 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-3 };
        var schedule = new Option<string>("--schedule") { Description = "cosine | step | constant", DefaultValueFactory = _ => "cosine" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var workers = new Option<int>("--workers") { Description = "Data preparation threads", DefaultValueFactory = _ => 2 };
        var precision = new Option<string>("--precision") { Description = "fp32 | bf16 (bfloat16 compute, float32 master weights)", DefaultValueFactory = _ => "fp32" };
        var device = CommonOptions.Device();
        var output = new Option<string>("--out") { Description = "Run folder (checkpoints, reports)", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last checkpoint" };

        var command = new Command("age", "Train an age regressor on a DIR split file (AgeDB-DIR, IMDB-WIKI-DIR, UTKFace-DIR)")
        {
            data, csv, skipBad, limitTrain, conr, window, beta, tau, pushing, variant, reweight, lds, ldsKernel, ldsKs, ldsSigma,
            loss, arch, width, imgSize, epochs, batchSize, lr, schedule, seed, workers, precision, device, output, resume,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            RequireGate(parse, conr, window, beta, tau, pushing, variant);
            RequireGate(parse, lds, ldsKernel, ldsKs, ldsSigma);
            var dataDir = Path.GetFullPath(parse.GetValue(data)!);
            var config = new AgeTrainConfig
            {
                DataDir = dataDir,
                CsvPath = Path.GetFullPath(Path.Combine(dataDir, parse.GetValue(csv)!)),
                SkipBad = parse.GetValue(skipBad),
                LimitTrain = parse.GetValue(limitTrain),
                ConR = parse.GetValue(conr),
                Window = parse.GetValue(window),
                Beta = parse.GetValue(beta),
                Temperature = parse.GetValue(tau),
                PushingScale = parse.GetValue(pushing),
                ConRVariant = parse.GetValue(variant)!,
                Reweight = parse.GetValue(reweight)!,
                Lds = parse.GetValue(lds),
                LdsKernel = parse.GetValue(ldsKernel)!,
                LdsKernelSize = parse.GetValue(ldsKs),
                LdsSigma = parse.GetValue(ldsSigma),
                Loss = parse.GetValue(loss)!,
                Architecture = parse.GetValue(arch)!,
                Width = parse.GetValue(width),
                ImageSize = parse.GetValue(imgSize),
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batchSize),
                LearningRate = parse.GetValue(lr),
                Schedule = parse.GetValue(schedule)!,
                Seed = parse.GetValue(seed),
                Workers = parse.GetValue(workers),
                Precision = parse.GetValue(precision)!,
            };
            using var interrupt = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; interrupt.Cancel(); };
            Console.CancelKeyPress += onCancel;
            try
            {
                return AgeTrainingRun.Execute(config, parse.GetValue(output)!, parse.GetValue(resume), parse.GetValue(device)!, Console.Out, interrupt.Token);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        }));
        return command;
    }

    // Options that only mean something under a switch are refused without it, rather than silently ignored.
    private static void RequireGate(ParseResult parse, Option<bool> gate, params Option[] dependents)
    {
        var given = dependents.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
        if (!parse.GetValue(gate) && given.Count > 0)
            throw new ConfigurationException($"{string.Join(", ", given)} only apply with {gate.Name}");
    }
}
