using System.Diagnostics;
using ConR.Training.Age.Data;
using ConR.Training.Age.Losses;
using ConR.Training.Age.Models;
using ConR.Training.ConR;
using ConR.Training.Engine;
using ConR.Training.Methods;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConR.Training.Age;

/// <summary>
/// The age training loop: L = L_R + beta * L_ConR with the views arranged as <see cref="ConRStepKind"/> says, best epoch
/// on val, an atomic checkpoint every epoch, and a resume that reproduces an uninterrupted run bit for bit.
/// </summary>
public sealed class AgeTrainer(AgeTrainConfig config, RunDirectory run, Device device, TextWriter log)
{
    /// <summary>Raised after each epoch's checkpoint is committed.</summary>
    public event Action<RunState>? EpochCompleted;

    /// <summary>
    /// Trains to the configured epoch count. Cancelling stops before the next step, like a kill: the epoch in progress
    /// is discarded and --resume repeats it from the last checkpoint.
    /// </summary>
    public RunState Train(AgeData data, bool resume, CancellationToken cancellation = default)
    {
        if (data.Train.Length < config.BatchSize) throw new ConfigurationException($"the train split has {data.Train.Length} images, fewer than --batch-size {config.BatchSize}");
        if (data.Val.Length == 0) throw new ConfigurationException("the CSV has no val rows: the best epoch is chosen on val");

        torch.manual_seed(config.Seed);
        using var model = new AgeRegressor(config.ModelSpec());
        model.to(device);
        bool rrt = config.RrtFrom is not null;
        // RRT: everything but the final linear layer is frozen, so only that layer is handed to the optimizer.
        if (rrt) model.FreezeEncoder();
        using var optimizer = optim.Adam(rrt ? model.RegressorParameters() : model.parameters(), config.LearningRate, weight_decay: config.WeightDecay);
        // Optional methods (docs/methods.md); all null in a plain run, which then takes exactly the code path it always did.
        using var methods = AgeMethodState.Create(config, model, data, device);
        var resumed = TrainingCheckpoints.Resume<RunState>(run, resume, model, optimizer, methods.Load);
        var state = resumed ?? new RunState();
        if (resumed is not null)
        {
            log.WriteLine($"Resuming after epoch {state.CompletedEpochs} (best val MAE {state.BestValMae:F3} at epoch {state.BestEpoch}).");
        }
        else
        {
            if (config.Init == Models.Pretrained.ImageNetResNet18.InitName)
            {
                int loaded = Models.Pretrained.ImageNetResNet18.Import(model, Models.Pretrained.ImageNetResNet18.DefaultPath, data.Spec);
                log.WriteLine($"Init: loaded {loaded} ImageNet tensors from {Models.Pretrained.ImageNetResNet18.DefaultPath}; the regressor starts fresh.");
            }
            if (rrt)
            {
                // Verified against its manifest once, then loaded.
                string basePath = Rrt.BaseCheckpoint(config.RrtFrom!);
                int copied = Rrt.LoadEncoder(model, basePath);
                log.WriteLine($"RRT: loaded {copied} encoder tensors from {basePath}; the encoder is frozen, the regressor re-initialised.");
            }
            // Starting at the mean label saves the first epochs of a short run from climbing out of zero.
            model.InitializeRegressorBias(data.Train.Average(i => data.Label(i)));
        }

        using var shadow = config.Precision == "bf16" ? new Bf16Shadow<AgeRegressor>(model, new AgeRegressor(config.ModelSpec()), device) : null;
        if (rrt) shadow?.Shadow.FreezeEncoder();
        // The shadow hands its BatchNorm statistics back after every step, rounded through bfloat16; under RRT the
        // frozen float32 statistics are put back after each step so the encoder stays exactly the base run's.
        frozenBuffers = rrt && shadow is not null ? model.buffers().Select(b => (b, b.detach().clone())).ToArray() : null;
        var conrOptions = config.ConROptions();
        var lossKind = RegressionLoss.Parse(config.Loss);
        var stepKind = config.ConRStepKind();
        int views = ConRStepKinds.ViewsPerSample(config.ConR, stepKind);
        var progress = new ProgressLine(log);
        for (int epoch = state.CompletedEpochs; epoch < config.Epochs; epoch++)
        {
            double lr = LearningRateSchedule.At(config.Schedule, config.LearningRate, epoch, config.Epochs);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            var epochWatch = Stopwatch.StartNew();
            var (regression, conr, images, waitFraction) = RunEpoch(model, shadow, optimizer, methods, data, epoch, views, stepKind, lossKind, conrOptions, progress, cancellation);
            if (methods.Fds is { } fds && epoch >= fds.Options.StartUpdate) UpdateFdsStatistics(model, fds, data, epoch);
            var (valMae, valMse) = Evaluate(model, data, data.Val);
            double seconds = epochWatch.Elapsed.TotalSeconds;
            var record = new EpochRecord(epoch + 1, lr, regression, conr, valMae, valMse, seconds, images / seconds, waitFraction);
            bool best = valMae < state.BestValMae;
            state = state with
            {
                CompletedEpochs = epoch + 1,
                BestEpoch = best ? epoch + 1 : state.BestEpoch,
                BestValMae = best ? valMae : state.BestValMae,
                History = [.. state.History, record],
                TotalTrainSeconds = state.TotalTrainSeconds + seconds,
            };
            TrainingCheckpoints.CommitEpoch(run, epoch + 1, best, model, optimizer, state, methods.Save);
            progress.Done();
            log.WriteLine($"epoch {epoch + 1}/{config.Epochs}  L_R {regression:F3}  L_ConR {conr:F3}{methods.EpochSummary()}  val MAE {valMae:F3}{(best ? " (best)" : "")}  " +
                          $"{images / seconds:F0} img/s  data wait {waitFraction:P0}  {seconds:F0} s");
            EpochCompleted?.Invoke(state);
            cancellation.ThrowIfCancellationRequested();
        }
        return state;
    }

    private (double Regression, double ConR, long Images, double WaitFraction) RunEpoch(
        AgeRegressor model, Bf16Shadow<AgeRegressor>? shadow, OptimizerHelper optimizer, AgeMethodState methods, AgeData data, int epoch, int views, ConRStepKind stepKind,
        RegressionLossKind lossKind, ConROptions conrOptions, ProgressLine progress, CancellationToken cancellation)
    {
        model.train();
        var network = shadow?.Shadow ?? model;
        network.train();
        if (config.RrtFrom is not null)
        {
            // RRT freezes the encoder whole: its BatchNorm statistics too.
            model.EncoderEval();
            network.EncoderEval();
        }
        methods.StartEpoch();
        var inputType = shadow is null ? ScalarType.Float32 : ScalarType.BFloat16;
        using var loader = new BatchLoader(data.Store, data.Train, config.BatchSize, views, augment: true, shuffle: true,
            dropLast: true, config.Seed, epoch, config.Workers, prefetch: 4, data.Spec, config.CropPadding);
        int steps = data.Train.Length / config.BatchSize;
        double sumRegression = 0, sumConR = 0;
        long images = 0;
        int step = 0;
        var watch = Stopwatch.StartNew();
        var guard = new DivergenceGuard(config.ExplodeFactor);
        foreach (var batch in loader.Batches())
        {
            cancellation.ThrowIfCancellationRequested();
            double beta = config.BetaAt(epoch + ((double)step / steps));
            var (regressionValue, conrValue) = Step(network, optimizer, shadow, methods, batch, data, stepKind, lossKind, conrOptions, beta, inputType, guard, epoch, step);
            int b = batch.Count;
            loader.Return(batch); // the tensors copied the buffers; recycle them for the next batch
            sumRegression += regressionValue;
            sumConR += conrValue;
            images += b;
            step++;
            double rate = images / watch.Elapsed.TotalSeconds;
            double epochsLeft = config.Epochs - epoch - (double)step / steps;
            var eta = TimeSpan.FromSeconds(epochsLeft * steps * b / Math.Max(rate, 1e-9));
            progress.Report($"epoch {epoch + 1}/{config.Epochs} step {step}/{steps}  L_R {sumRegression / step:F3}  L_ConR {sumConR / step:F3}  " +
                            $"{rate:F0} img/s  data wait {loader.WaitTime.TotalSeconds / watch.Elapsed.TotalSeconds:P0}  ETA {ProgressLine.Eta(eta)}");
        }
        return (sumRegression / Math.Max(step, 1), sumConR / Math.Max(step, 1), images, loader.WaitTime.TotalSeconds / watch.Elapsed.TotalSeconds);
    }

    private (double Regression, double ConR) Step(
        AgeRegressor network, OptimizerHelper optimizer, Bf16Shadow<AgeRegressor>? shadow, AgeMethodState methods, HostBatch batch, AgeData data, ConRStepKind stepKind,
        RegressionLossKind lossKind, ConROptions conrOptions, double beta, ScalarType inputType, DivergenceGuard guard, int epoch, int step)
    {
        using var scope = NewDisposeScope();
        int b = batch.Count, size = config.ImageSize;
        var views = batch.Views.Select(v => tensor(v, [b, 3, size, size]).to(device).to_type(inputType)).ToArray();
        var labels = tensor(batch.Labels, [b, 1]).to(device);
        var weights = tensor(batch.Indices.Select(i => data.Weights[i]).ToArray(), [b, 1]).to(device);
        optimizer.zero_grad();
        methods.ZeroGrad();
        shadow?.PullWeights();
        var outputs = AgeStepForward.Run(network.forward, views, labels, weights, config.ConR, stepKind);
        if (methods.Fds is { } fds && epoch >= fds.Options.StartSmooth)
        {
            // FDS calibrates the L_R features only; ConR keeps the unsmoothed features and predictions.
            var calibrated = fds.Smooth(outputs.RegressionFeatures, outputs.RegressionLabels, epoch);
            outputs = outputs with { RegressionPrediction = network.Regress(calibrated.to_type(inputType)).to_type(ScalarType.Float32) };
        }
        var (loss, regression, conr) = AgeStepForward.Loss(
            outputs,
            (prediction, target, weight) => methods.BalancedMse is { } bmse ? bmse.Compute(prediction, target) : RegressionLoss.Compute(lossKind, prediction, target, weight),
            beta,
            conrOptions);
        double conrValue = conr is null ? 0 : conr.item<float>();
        if (config.RankSim)
        {
            // One representative per label, drawn from a stream that depends only on (seed, epoch, step).
            var random = new Random(SeedMix.Mix(config.Seed, epoch, step, RankSimStream));
            var rankSim = Methods.RankSim.Compute(outputs.FirstViewFeatures, labels, config.RankSimLambda, random);
            loss = loss + config.RankSimGamma * rankSim;
            methods.RecordRankSim(rankSim.item<float>());
        }
        if (guard.Check(loss.item<float>()) is { } problem)
        {
            string kept = run.LastCheckpointDir() is { } dir ? $"the last good checkpoint is {dir}" : "no checkpoint was written yet";
            throw new TrainingDivergedException($"{problem} at epoch {epoch + 1} step {step + 1}; {kept}. Lower --lr or --beta.");
        }
        loss.backward();
        shadow?.PushGradients();
        RestoreFrozenBuffers();
        optimizer.step();
        methods.Step();
        return (regression.item<float>(), conrValue);
    }

    private (Tensor Live, Tensor Saved)[]? frozenBuffers;

    private void RestoreFrozenBuffers()
    {
        if (frozenBuffers is null) return;
        using var noGrad = no_grad();
        foreach (var (live, saved) in frozenBuffers) live.copy_(saved);
    }

    // The "view" coordinate of RankSim's sampling stream; the augmenter uses 0..2 for the image views.
    private const int RankSimStream = 1000;

    /// <summary>
    /// FDS statistics pass after training epoch <paramref name="epoch"/>: features of the whole training set (eval
    /// transform) folded into the FDS statistics. The model runs in eval mode, so BatchNorm uses its running statistics
    /// and does not update them (the official pass runs in train mode and moves them a second time each epoch).
    /// </summary>
    internal void UpdateFdsStatistics(AgeRegressor model, Fds fds, AgeData data, int epoch)
    {
        var (features, labels) = Features(model, data, data.Train, config.Workers, device);
        using (features)
        using (labels)
        {
            fds.EndOfEpoch(features, labels, epoch);
        }
    }

    /// <summary>Pooled features [N, D] and labels [N] of a split, eval mode, eval transform, in index order.</summary>
    public static (Tensor Features, Tensor Labels) Features(AgeRegressor model, AgeData data, int[] indices, int workers, Device device, int batchSize = 256)
    {
        model.eval();
        using var noGrad = no_grad();
        using var loader = new BatchLoader(data.Store, indices, batchSize, views: 1, augment: false, shuffle: false,
            dropLast: false, seed: 0, epoch: 0, workers, prefetch: 2, data.Spec);
        var parts = new List<Tensor>();
        int size = data.Store.Size;
        foreach (var batch in loader.Batches())
        {
            using var scope = NewDisposeScope();
            var (_, features) = model.forward(tensor(batch.Views[0], [batch.Count, 3, size, size]).to(device));
            parts.Add(features.to_type(ScalarType.Float32).MoveToOuterDisposeScope());
        }
        var all = cat(parts, 0);
        foreach (var part in parts) part.Dispose();
        return (all, tensor(indices.Select(i => data.Label(i)).ToArray(), device: device));
    }

    /// <summary>MAE and MSE of the model on a split, eval mode, eval transform.</summary>
    public (double Mae, double Mse) Evaluate(AgeRegressor model, AgeData data, int[] indices)
    {
        var predictions = Predict(model, data, indices, config.Workers, device);
        double mae = 0, mse = 0;
        for (int i = 0; i < indices.Length; i++)
        {
            double e = predictions[i] - data.Label(indices[i]);
            mae += Math.Abs(e);
            mse += e * e;
        }
        return (mae / indices.Length, mse / indices.Length);
    }

    public static double[] Predict(AgeRegressor model, AgeData data, int[] indices, int workers, Device device, int batchSize = 256)
    {
        model.eval();
        using var noGrad = no_grad();
        using var loader = new BatchLoader(data.Store, indices, batchSize, views: 1, augment: false, shuffle: false,
            dropLast: false, seed: 0, epoch: 0, workers, prefetch: 2, data.Spec);
        var result = new List<double>(indices.Length);
        int size = data.Store.Size;
        foreach (var batch in loader.Batches())
        {
            using var scope = NewDisposeScope();
            var (prediction, _) = model.forward(tensor(batch.Views[0], [batch.Count, 3, size, size]).to(device));
            result.AddRange(prediction.cpu().data<float>().ToArray().Select(v => (double)v));
        }
        return [.. result];
    }
}
