using System.Diagnostics;
using ConR.Shared.Imbalance.Depth;
using ConR.Shared.Metrics.Depth;
using ConR.Training.Data;
using ConR.Training.Depth.Data;
using ConR.Training.Depth.Losses;
using ConR.Training.Depth.Models;
using ConR.Training.Models.Pretrained;
using ConR.Training.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConR.Training.Depth.Training;

/// <summary>
/// The depth training loop: L = L_R + β·L_ConR on one augmented batch (as the official NYUD2 code: no extra views),
/// best epoch on the balanced val RMSE, an atomic checkpoint every epoch, and a resume that reproduces an
/// uninterrupted run bit for bit (augmentation and order depend only on seed, epoch and sample).
/// </summary>
public sealed class DepthTrainer(DepthTrainConfig config, RunDirectory run, Device device, TextWriter log)
{
    /// <summary>Raised after each epoch's checkpoint is committed.</summary>
    public event Action<DepthRunState>? EpochCompleted;

    public DepthRunState Train(DepthData data, bool resume, CancellationToken cancellation = default)
    {
        if (data.Train.Length < config.BatchSize) throw new ConfigurationException($"the train split has {data.Train.Length} scenes, fewer than --batch-size {config.BatchSize}");
        if (data.Val.Length == 0) throw new ConfigurationException("the val CSV has no rows: the best epoch is chosen on val");

        torch.manual_seed(config.Seed);
        using var model = new DepthNet(config.ModelSpec());
        model.to(device);
        using var optimizer = optim.Adam(model.parameters(), config.LearningRate, weight_decay: config.WeightDecay);
        var resumed = TrainingCheckpoints.Resume<DepthRunState>(run, resume, model, optimizer);
        var state = resumed ?? new DepthRunState();
        if (resumed is not null)
        {
            log.WriteLine($"Resuming after epoch {state.CompletedEpochs} (best val RMSE {state.BestValRmse:F3} at epoch {state.BestEpoch}).");
        }
        else
        {
            if (config.Init == ImageNetResNet18.InitName)
            {
                int loaded = DepthImageNetInit.Import(model, ImageNetResNet18.DefaultPath);
                log.WriteLine($"Init: loaded {loaded} ImageNet tensors from {ImageNetResNet18.DefaultPath}; the decoder starts fresh.");
            }
            model.InitializeOutputBias(data.MeanTrainDepth);
        }

        using var shadow = config.Precision == "bf16" ? new Bf16Shadow<DepthNet>(model, new DepthNet(config.ModelSpec()), device) : null;
        var progress = new ProgressLine(log);
        for (int epoch = state.CompletedEpochs; epoch < config.Epochs; epoch++)
        {
            double lr = LearningRateSchedule.At(config.Schedule, config.LearningRate, epoch, config.Epochs);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            var watch = Stopwatch.StartNew();
            var (regression, conr, images, wait) = RunEpoch(model, shadow, optimizer, data, epoch, progress, cancellation);
            var table = Evaluate(model, data, "val", device, config.Workers).Table;
            double seconds = watch.Elapsed.TotalSeconds;
            var record = new DepthEpochRecord(epoch + 1, lr, regression, conr, table.All.Rmse, table.All.Delta1, table.All.Mae, seconds, images / seconds, wait);
            bool best = table.All.Rmse < state.BestValRmse;
            state = state with
            {
                CompletedEpochs = epoch + 1,
                BestEpoch = best ? epoch + 1 : state.BestEpoch,
                BestValRmse = best ? table.All.Rmse : state.BestValRmse,
                History = [.. state.History, record],
                TotalTrainSeconds = state.TotalTrainSeconds + seconds,
            };
            TrainingCheckpoints.CommitEpoch(run, epoch + 1, best, model, optimizer, state);
            progress.Done();
            log.WriteLine($"epoch {epoch + 1}/{config.Epochs}  L_R {regression:F4}  L_ConR {conr:F4}  val RMSE {table.All.Rmse:F3} δ1 {table.All.Delta1:F3}{(best ? " (best)" : "")}  " +
                          $"{images / seconds:F0} img/s  data wait {wait:P0}  {seconds:F0} s");
            EpochCompleted?.Invoke(state);
            cancellation.ThrowIfCancellationRequested();
        }
        return state;
    }

    private (double Regression, double ConR, long Images, double WaitFraction) RunEpoch(
        DepthNet model, Bf16Shadow<DepthNet>? shadow, OptimizerHelper optimizer, DepthData data, int epoch, ProgressLine progress, CancellationToken cancellation)
    {
        model.train();
        var network = shadow?.Shadow ?? model;
        network.train();
        var inputType = shadow is null ? ScalarType.Float32 : ScalarType.BFloat16;
        var order = Shuffle(data.Train.Length, config.Seed, epoch);
        int b = config.BatchSize, steps = data.Train.Length / b;
        var aug = data.TrainAugmenter;
        var rgb = new float[b * aug.RgbLength];
        var depth = new float[b * aug.DepthLength];
        var weights = new float[depth.Length];
        var guard = new DivergenceGuard(config.ExplodeFactor);
        double sumRegression = 0, sumConR = 0;
        var watch = Stopwatch.StartNew();
        var waitWatch = new Stopwatch();
        for (int step = 0; step < steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            waitWatch.Start();
            FillBatch(data, order.AsSpan(step * b, b), epoch, rgb, depth, weights);
            waitWatch.Stop();
            var (r, c) = Step(network, optimizer, shadow, data, rgb, depth, weights, inputType, guard, epoch, step);
            sumRegression += r;
            sumConR += c;
            double rate = (step + 1) * b / watch.Elapsed.TotalSeconds;
            double left = (config.Epochs - epoch - (double)(step + 1) / steps) * steps * b / Math.Max(rate, 1e-9);
            progress.Report($"epoch {epoch + 1}/{config.Epochs} step {step + 1}/{steps}  L_R {sumRegression / (step + 1):F4}  L_ConR {sumConR / (step + 1):F4}  " +
                            $"{rate:F0} img/s  data wait {waitWatch.Elapsed.TotalSeconds / watch.Elapsed.TotalSeconds:P0}  ETA {ProgressLine.Eta(TimeSpan.FromSeconds(left))}");
        }
        return (sumRegression / Math.Max(steps, 1), sumConR / Math.Max(steps, 1), (long)steps * b, waitWatch.Elapsed.TotalSeconds / watch.Elapsed.TotalSeconds);
    }

    private void FillBatch(DepthData data, ReadOnlySpan<int> indices, int epoch, float[] rgb, float[] depth, float[] weights)
    {
        var aug = data.TrainAugmenter;
        int[] idx = indices.ToArray();
        Parallel.For(0, idx.Length, new ParallelOptions { MaxDegreeOfParallelism = config.Workers }, k =>
        {
            var s = data.Train[idx[k]];
            var rng = DepthAugmenter.RandomFor(config.Seed, epoch, idx[k]);
            var d = depth.AsSpan(k * aug.DepthLength, aug.DepthLength);
            aug.Apply(s.Rgb, s.Width, s.Height, s.Depth, s.Width, s.Height, rng, rgb.AsSpan(k * aug.RgbLength, aug.RgbLength), d);
            DepthPixelWeights.PerPixel(d, data.BinWeights, DepthData.Bins, weights.AsSpan(k * aug.DepthLength, aug.DepthLength));
        });
    }

    private (double Regression, double ConR) Step(
        DepthNet network, OptimizerHelper optimizer, Bf16Shadow<DepthNet>? shadow, DepthData data, float[] rgb, float[] depth, float[] weights,
        ScalarType inputType, DivergenceGuard guard, int epoch, int step)
    {
        using var scope = NewDisposeScope();
        int b = config.BatchSize;
        var spec = config.ModelSpec();
        var input = tensor(rgb, [b, 3, config.ImageHeight, config.ImageWidth]).to(device);
        var target = tensor(depth, [b, 1, spec.OutputHeight, spec.OutputWidth]).to(device);
        var pixelWeights = tensor(weights, [b, 1, spec.OutputHeight, spec.OutputWidth]).to(device);
        optimizer.zero_grad();
        shadow?.PullWeights();
        var (prediction, features) = network.forward(input.to_type(inputType));
        prediction = prediction.to_type(ScalarType.Float32);
        var regression = config.LossKind() == DepthLossKind.Bni
            ? data.Bni!.Compute(prediction, target)
            : DepthRegressionLoss.Compute(config.LossKind(), prediction, target, pixelWeights);
        var loss = regression;
        double conrValue = 0;
        if (config.ConR)
        {
            int grid = config.Variant() == DepthConRVariant.Dense ? config.DensePool : 1;
            var conr = DenseConRLoss.Compute(features.to_type(ScalarType.Float32), target, prediction.detach(), pixelWeights, config.ConROptions(), grid);
            loss = regression + config.Beta * conr;
            conrValue = conr.item<float>();
        }
        // The guard compares against the recent median, so it needs a loss that is never negative: Balanced MSE is not
        // (its log-partition term is <= 0), so it is watched through the plain squared error of the same pixels.
        double watched = WatchedLoss(config.LossKind(), loss.item<float>(),
            () => DepthRegressionLoss.Compute(DepthLossKind.Mse, prediction.detach(), target, target.gt(0).to_type(ScalarType.Float32)).item<float>(),
            config.Beta, conrValue);
        if (guard.Check(watched) is { } problem)
        {
            string kept = run.LastCheckpointDir() is { } dir ? $"the last good checkpoint is {dir}" : "no checkpoint was written yet";
            throw new TrainingDivergedException($"{problem} at epoch {epoch + 1} step {step + 1}; {kept}. Lower --lr or --beta.");
        }
        loss.backward();
        shadow?.PushGradients();
        optimizer.step();
        return (regression.item<float>(), conrValue);
    }

    /// <summary>
    /// The value the divergence guard watches: the loss itself, except for Balanced MSE, whose loss can be negative
    /// (then the plain squared error of the batch plus beta * L_ConR); a non-finite loss always passes through.
    /// </summary>
    internal static double WatchedLoss(DepthLossKind kind, double loss, Func<double> plainMse, double beta, double conr) =>
        kind == DepthLossKind.Bni && double.IsFinite(loss) ? plainMse() + (beta * conr) : loss;

    private static int[] Shuffle(int n, int seed, int epoch)
    {
        var order = Enumerable.Range(0, n).ToArray();
        new Random(SeedMix.Mix(seed, epoch, -1, 1)).Shuffle(order);
        return order;
    }

    /// <summary>The balanced-mask DIR table of a split (and the table over every valid pixel), eval mode, eval transform.</summary>
    public static (DepthDirTable Table, DepthDirTable AllPixels, float[][] Predictions) Evaluate(DepthNet model, DepthData data, string split, Device device, int workers)
    {
        var predictions = Predict(model, data, data.Split(split), device, workers);
        var (truth, mask) = data.EvalTruth(split);
        var balanced = new DepthMetricsAccumulator(DepthData.Bins, data.Shots);
        var all = new DepthMetricsAccumulator(DepthData.Bins, data.Shots);
        int offset = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            balanced.Add(predictions[i], truth[i], mask.AsSpan(offset, truth[i].Length));
            all.Add(predictions[i], truth[i], []);
            offset += truth[i].Length;
        }
        return (balanced.Result(), all.Result(), predictions);
    }

    /// <summary>
    /// Predicted depth of each scene at the evaluation size (Width x Height): the eval transform, the model in eval mode,
    /// and the output map upsampled bilinearly (align_corners false, as ONNX Resize half_pixel).
    /// </summary>
    public static float[][] Predict(DepthNet model, DepthData data, DepthScene[] scenes, Device device, int workers, int batchSize = 64)
    {
        model.eval();
        using var noGrad = no_grad();
        var aug = data.EvalAugmenter;
        var spec = model.Spec;
        var result = new float[scenes.Length][];
        for (int start = 0; start < scenes.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(batchSize, scenes.Length - start);
            var rgb = new float[n * aug.RgbLength];
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = workers }, k =>
            {
                var s = scenes[start + k];
                var depth = new float[aug.EvalDepthLength];
                aug.ApplyEval(s.Rgb, s.Width, s.Height, s.Depth, s.Width, s.Height, rgb.AsSpan(k * aug.RgbLength, aug.RgbLength), depth);
            });
            var (prediction, _) = model.forward(tensor(rgb, [n, 3, spec.ImageHeight, spec.ImageWidth]).to(device));
            var full = DepthNet.Upsample(prediction, spec.ImageHeight, spec.ImageWidth).cpu().contiguous().data<float>().ToArray();
            int len = spec.ImageHeight * spec.ImageWidth;
            for (int k = 0; k < n; k++) result[start + k] = full.AsSpan(k * len, len).ToArray();
        }
        return result;
    }
}
