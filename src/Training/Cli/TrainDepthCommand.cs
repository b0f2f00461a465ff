using ConR.Shared.Metrics.Depth;
using System.CommandLine;
using ConR.Training.Depth;
using ConR.Training.Depth.Models;
using ConR.Training.Depth.Synth;
using ConR.Training.Engine;

namespace ConR.Training.Cli;

/// <summary>`conr-train train depth`: parses flags into a <see cref="DepthTrainConfig"/> and runs the trainer.</summary>
internal static class TrainDepthCommand
{
    /// <summary>How `train depth` words the shared flags: labels in metres, one augmented batch, per-pixel weights.</summary>
    public static TaskTrainingFlags Flags { get; } = new()
    {
        ConR = "Add the ConR regularizer on the training batch",
        Window = "ConR window w in metres (on mean depth, or on the mean absolute map difference for Dense)",
        Temperature = "ConR temperature",
        PushingScale = "ConR pushing scale e (weight e * w_j * d)",
        ConRVariant = "OfficialDepth (mean depth per image) | Dense (pooled depth maps)",
        Reweight = "none | sqrt_inv | inverse (per-pixel, 0.1 m bins)",
        Precision = "fp32 | bf16 (bfloat16 compute, float32 master weights; fast only with AVX-512 BF16 or AMX) | auto (bf16 only where a start-up probe measures it faster)",
        PrecisionDefault = TrainingOptions.Fp32,
    };

    public static Command Create()
    {
        var training = new TrainingOptionSet(DepthTrainConfig.Defaults, Flags);
        var data = new Option<string>("--data") { Description = "Data folder the CSV paths are relative to", Required = true };
        var trainCsv = new Option<string>("--train-csv") { Description = "Train split: rgb,depth rows without header (relative to --data or absolute)", Required = true };
        var valCsv = new Option<string>("--val-csv") { Description = "Val split (the best epoch is chosen on it)", Required = true };
        var testCsv = new Option<string?>("--test-csv") { Description = "Test split (reported, never used for selection)" };
        var encoding = new Option<string>("--encoding") { Description = "Depth PNG encoding: auto (16-bit = mm, 8-bit = x10/255 m) | nyu8bit | mm16", DefaultValueFactory = _ => "auto" };
        var skipBad = new Option<bool>("--skip-bad") { Description = "Skip (and count) bad rows and unreadable images instead of stopping" };
        var limitTrain = new Option<int?>("--limit-train") { Description = "Use a deterministic subset of N train scenes (quick runs)" };
        var densePool = new Option<int>("--dense-pool") { Description = "Dense ConR: maps are average-pooled to G x G cells", DefaultValueFactory = _ => 8 };
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
        var maskMinBinPixels = new Option<long>("--mask-min-bin-pixels")
        {
            Description = "Balanced val/test mask: leave out 0.1 m bins with fewer valid pixels than this (1 = NYUD2-DIR's rule, every non-empty bin; " +
                          "where the deepest bins hold a handful of pixels that rule scores a handful per bin: use e.g. 1000 for SynthDepth-DIR)",
            DefaultValueFactory = _ => BalancedDepthMask.OfficialMinBinPixels,
        };
        var noAugment = new Option<bool>("--no-augment") { Description = "Train without rotation and colour jitter (flips stay)" };
        var device = CommonOptions.Device();
        var output = new Option<string>("--out") { Description = "Run folder (checkpoints, reports)", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last checkpoint" };

        var command = new Command("depth", "Train a monocular depth model on an NYUD2-DIR style data set (SynthDepth-DIR or NYUD2-DIR)")
        {
            data, trainCsv, valCsv, testCsv, encoding, skipBad, limitTrain,
            training.ConR, training.Variant, training.Window, training.Beta, training.Tau, training.Pushing, densePool,
            training.Reweight, training.Lds, training.LdsKernel, training.LdsKs, training.LdsSigma,
            loss, bniSigma, arch, init, width, imgSize, outputFraction, decoder, scale, noAugment, maskMinBinPixels,
            training.Epochs, training.BatchSize, training.Lr, training.Schedule, training.Seed, training.Workers, training.Precision, training.ExplodeFactor,
            device, output, resume,
        };
        command.SetAction(parse => CommandRunner.RunInterruptible(cancellation =>
        {
            training.RequireConRSwitch(parse, densePool);
            training.RequireLdsSwitch(parse);
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
            var config = training.Bind(parse, new DepthTrainConfig
            {
                DataDir = dataDir,
                TrainCsv = Csv(parse.GetValue(trainCsv))!,
                ValCsv = Csv(parse.GetValue(valCsv))!,
                TestCsv = Csv(parse.GetValue(testCsv)),
                Encoding = parse.GetValue(encoding)!,
                SkipBad = parse.GetValue(skipBad),
                LimitTrain = parse.GetValue(limitTrain),
                DensePool = parse.GetValue(densePool),
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
                MaskMinBinPixels = parse.GetValue(maskMinBinPixels),
            });
            return DepthTrainingRun.Execute(config, parse.GetValue(output)!, parse.GetValue(resume), parse.GetValue(device)!, Console.Out, cancellation);
        }));
        return command;
    }
}
