using System.CommandLine;
using ConR.Training.Depth.Models;
using ConR.Training.Depth.Synth;
using ConR.Training.Depth.Training;
using ConR.Training.Training;

namespace ConR.Training.Cli;

/// <summary>`conr-train train depth`: parses flags into a <see cref="DepthTrainConfig"/> and runs the trainer.</summary>
internal static class TrainDepthCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data folder the CSV paths are relative to", Required = true };
        var trainCsv = new Option<string>("--train-csv") { Description = "Train split: rgb,depth rows without header (relative to --data or absolute)", Required = true };
        var valCsv = new Option<string>("--val-csv") { Description = "Val split (the best epoch is chosen on it)", Required = true };
        var testCsv = new Option<string?>("--test-csv") { Description = "Test split (reported, never used for selection)" };
        var encoding = new Option<string>("--encoding") { Description = "Depth PNG encoding: auto (16-bit = mm, 8-bit = x10/255 m) | nyu8bit | mm16", DefaultValueFactory = _ => "auto" };
        var skipBad = new Option<bool>("--skip-bad") { Description = "Skip (and count) bad rows and unreadable images instead of stopping" };
        var limitTrain = new Option<int?>("--limit-train") { Description = "Use a deterministic subset of N train scenes (quick runs)" };
        var conr = new Option<bool>("--conr") { Description = "Add the ConR regularizer on the training batch" };
        var variant = new Option<string>("--conr-variant") { Description = "OfficialDepth (mean depth per image) | Dense (pooled depth maps)", DefaultValueFactory = _ => "OfficialDepth" };
        var window = new Option<double>("--w") { Description = "ConR window w in metres (on mean depth, or on the mean absolute map difference for Dense)", DefaultValueFactory = _ => 0.2 };
        var beta = new Option<double>("--beta") { Description = "ConR weight beta", DefaultValueFactory = _ => 0.2 };
        var tau = new Option<double>("--tau") { Description = "ConR temperature", DefaultValueFactory = _ => 0.2 };
        var pushing = new Option<double>("--e") { Description = "ConR pushing scale e (weight e * w_j * d)", DefaultValueFactory = _ => 0.2 };
        var densePool = new Option<int>("--dense-pool") { Description = "Dense ConR: maps are average-pooled to G x G cells", DefaultValueFactory = _ => 8 };
        var reweight = new Option<string>("--reweight") { Description = "none | sqrt_inv | inverse (per-pixel, 0.1 m bins)", DefaultValueFactory = _ => "none" };
        var lds = new Option<bool>("--lds") { Description = "Label distribution smoothing of the re-weighting (needs --reweight)" };
        var ldsKernel = new Option<string>("--lds-kernel") { DefaultValueFactory = _ => "gaussian" };
        var ldsKs = new Option<int>("--lds-ks") { DefaultValueFactory = _ => 5 };
        var ldsSigma = new Option<double>("--lds-sigma") { DefaultValueFactory = _ => 2.0 };
        var loss = new Option<string>("--loss") { Description = "mse | l1 | bni (Balanced MSE, bin prior, pixels >= 0.7 m)", DefaultValueFactory = _ => "mse" };
        var bniSigma = new Option<double>("--bni-sigma") { Description = "Fixed noise sigma of Balanced MSE (m)", DefaultValueFactory = _ => 1.0 };
        var arch = new Option<string>("--arch") { Description = "resnet18 | resnet18-imagenet (a third block in the last stage, for --init imagenet-resnet18) | resnet34 | resnet50 encoder", DefaultValueFactory = _ => "resnet18" };
        var init = new Option<string>("--init")
        {
            Description = "none (from scratch) | imagenet-resnet18: the encoder starts from the ImageNet ResNet-18 of the NuGet package " +
                          "Microsoft.ML.DnnImageFeaturizer.ResNet18 (needs --arch resnet18-imagenet --width 1 and an --img-size whose shorter side is 64 or more); the decoder starts fresh",
            DefaultValueFactory = _ => DepthTrainConfig.NoInit,
        };
        var width = new Option<double>("--width") { Description = "Channel width multiplier", DefaultValueFactory = _ => 0.25 };
        var imgSize = new Option<string>("--img-size") { Description = "Input WIDTHxHEIGHT (e.g. 64x48; NYUD2 304x228)", DefaultValueFactory = _ => "64x48" };
        var outputFraction = new Option<double>("--output-fraction") { Description = "Output map size as a fraction of the input", DefaultValueFactory = _ => 0.5 };
        var decoder = new Option<string>("--decoder")
        {
            Description = "stride4 (skips to stride 4, then upsampled to the output size; models/depth/1) | full (skips at every scale, " +
                          "the stem's stride-2 feature and the image itself; needs --output-fraction 1)",
            DefaultValueFactory = _ => DepthDecoders.Stride4,
        };
        var scale = new Option<int>("--scale-shorter-side") { Description = "Scale the shorter side to S before the centre crop (0 = no crop; NYUD2 240)", DefaultValueFactory = _ => 0 };
        var noAugment = new Option<bool>("--no-augment") { Description = "Train without rotation and colour jitter (flips stay)" };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 10 };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => 32 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-3 };
        var schedule = new Option<string>("--schedule") { Description = "cosine | step | constant", DefaultValueFactory = _ => "cosine" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var workers = new Option<int>("--workers") { Description = "Data preparation threads", DefaultValueFactory = _ => 2 };
        var precision = new Option<string>("--precision") { Description = "fp32 | bf16", DefaultValueFactory = _ => "fp32" };
        var explode = new Option<double>("--explode-factor") { Description = "Stop when a step's loss exceeds this multiple of the recent median (heavy re-weighting needs more)", DefaultValueFactory = _ => 50 };
        var device = CommonOptions.Device();
        var output = new Option<string>("--out") { Description = "Run folder (checkpoints, reports)", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last checkpoint" };

        var command = new Command("depth", "Train a monocular depth model on an NYUD2-DIR style data set (SynthDepth-DIR or NYUD2-DIR)")
        {
            data, trainCsv, valCsv, testCsv, encoding, skipBad, limitTrain, conr, variant, window, beta, tau, pushing, densePool,
            reweight, lds, ldsKernel, ldsKs, ldsSigma, loss, bniSigma, arch, init, width, imgSize, outputFraction, decoder, scale, noAugment,
            epochs, batchSize, lr, schedule, seed, workers, precision, explode, device, output, resume,
        };
        command.SetAction(parse => CommandRunner.RunInterruptible(cancellation =>
        {
            CommonOptions.RequireGate(parse, conr, window, beta, tau, pushing, variant, densePool);
            CommonOptions.RequireGate(parse, lds, ldsKernel, ldsKs, ldsSigma);
            (int W, int H) size;
            try
            {
                size = SynthDepthGenerator.ParseSize(parse.GetValue(imgSize)!);
            }
            catch (FormatException ex)
            {
                throw new ConfigurationException("--img-size: " + ex.Message);
            }
            var dataDir = Path.GetFullPath(parse.GetValue(data)!);
            string? Csv(string? name) => name is null ? null : Path.GetFullPath(Path.Combine(dataDir, name));
            var config = new DepthTrainConfig
            {
                DataDir = dataDir,
                TrainCsv = Csv(parse.GetValue(trainCsv))!,
                ValCsv = Csv(parse.GetValue(valCsv))!,
                TestCsv = Csv(parse.GetValue(testCsv)),
                Encoding = parse.GetValue(encoding)!,
                SkipBad = parse.GetValue(skipBad),
                LimitTrain = parse.GetValue(limitTrain),
                ConR = parse.GetValue(conr),
                ConRVariant = parse.GetValue(variant)!,
                Window = parse.GetValue(window),
                Beta = parse.GetValue(beta),
                Temperature = parse.GetValue(tau),
                PushingScale = parse.GetValue(pushing),
                DensePool = parse.GetValue(densePool),
                Reweight = parse.GetValue(reweight)!,
                Lds = parse.GetValue(lds),
                LdsKernel = parse.GetValue(ldsKernel)!,
                LdsKernelSize = parse.GetValue(ldsKs),
                LdsSigma = parse.GetValue(ldsSigma),
                Loss = parse.GetValue(loss)!,
                BniSigma = parse.GetValue(bniSigma),
                Architecture = parse.GetValue(arch)!,
                Init = parse.GetValue(init)!,
                Width = parse.GetValue(width),
                ImageWidth = size.W,
                ImageHeight = size.H,
                OutputFraction = parse.GetValue(outputFraction),
                Decoder = parse.GetValue(decoder)!,
                ScaleShorterSide = parse.GetValue(scale),
                Augment = !parse.GetValue(noAugment),
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batchSize),
                LearningRate = parse.GetValue(lr),
                Schedule = parse.GetValue(schedule)!,
                Seed = parse.GetValue(seed),
                Workers = parse.GetValue(workers),
                Precision = parse.GetValue(precision)!,
                ExplodeFactor = parse.GetValue(explode),
            };
            return DepthTrainingRun.Execute(config, parse.GetValue(output)!, parse.GetValue(resume), parse.GetValue(device)!, Console.Out, cancellation);
        }));
        return command;
    }
}
