using ConR.Training.Age.Data;
using ConR.Training.Age.Losses;
using ConR.Training.Age.Models;
using ConR.Training.ConR;
using ConR.Training.Encoder.Pretrained;
using ConR.Training.Engine;
using ConR.Training.Methods;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConR.Training.Age;

/// <summary>
/// The age task on the <see cref="EpochDriver{TScore, TRecord}"/>: an <see cref="AgeRegressor"/> trained with
/// L = L_R + beta * L_ConR on the views <see cref="ConRStepKind"/> arranges, with the optional methods of
/// <see cref="AgeMethodState"/> and RRT, its best epoch chosen on val MAE.
/// </summary>
internal sealed class AgeTrainingTask : ITrainingTask<AgeValScore, AgeEpochRecord>
{
    public static BestEpochRule<AgeValScore> BestOnValMae { get; } = new("valMae", "val MAE", score => score.Mae);

    // The "view" coordinate of RankSim's sampling stream; the augmenter uses 0..2 for the image views.
    private const int RankSimStream = 1000;

    private readonly AgeTrainConfig config;
    private readonly AgeData data;
    private readonly Device device;
    private readonly TextWriter log;
    private readonly AgeRegressor model;
    private readonly OptimizerHelper optimizer;
    private readonly AgeMethodState methods;
    private readonly bool rrt;
    private readonly ConROptions conrOptions;
    private readonly RegressionLossKind lossKind;
    private readonly ConRStepKind stepKind;
    private readonly int views;
    private Bf16Shadow<AgeRegressor>? shadow;
    private (Tensor Live, Tensor Saved)[]? frozenBuffers;

    public AgeTrainingTask(AgeTrainConfig config, AgeData data, Device device, TextWriter log)
    {
        if (data.Train.Length < config.BatchSize) throw new ConfigurationException($"the train split has {data.Train.Length} images, fewer than --batch-size {config.BatchSize}");
        if (data.Val.Length == 0) throw new ConfigurationException("the CSV has no val rows: the best epoch is chosen on val");
        this.config = config;
        this.data = data;
        this.device = device;
        this.log = log;
        model = new AgeRegressor(config.ModelSpec());
        model.to(device);
        rrt = config.RrtFrom is not null;
        // RRT: everything but the final linear layer is frozen, so only that layer is handed to the optimizer.
        if (rrt) model.FreezeEncoder();
        optimizer = optim.Adam(rrt ? model.RegressorParameters() : model.parameters(), config.LearningRate, weight_decay: config.WeightDecay);
        // Optional methods (docs/methods.md); all null in a plain run, which then takes exactly the code path it always did.
        methods = AgeMethodState.Create(config, model, data, device);
        conrOptions = config.ConROptions();
        lossKind = RegressionLoss.Parse(config.Loss);
        stepKind = config.ConRStepKind();
        views = ConRStepKinds.ViewsPerSample(config.ConR, stepKind);
    }

    public nn.Module Model => model;

    public OptimizerHelper Optimizer => optimizer;

    public BestEpochRule<AgeValScore> BestEpoch => BestOnValMae;

    public string LossFormat => "F3";

    public void SaveExtra(string checkpointDir) => methods.Save(checkpointDir);

    public void LoadExtra(string checkpointDir) => methods.Load(checkpointDir);

    public void Start(bool resumed)
    {
        if (!resumed)
        {
            if (config.Init == ImageNetResNet18.InitName)
            {
                int loaded = AgeImageNetInit.Import(model, ImageNetResNet18.DefaultPath, data.Spec);
                log.WriteLine($"Init: loaded {loaded} ImageNet tensors from {ImageNetResNet18.DefaultPath}; the regressor starts fresh.");
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

        shadow = config.Precision == TrainingOptions.Bf16 ? new Bf16Shadow<AgeRegressor>(model, new AgeRegressor(config.ModelSpec()), device) : null;
        if (rrt) shadow?.Shadow.FreezeEncoder();
        // The shadow hands its BatchNorm statistics back after every step, rounded through bfloat16; under RRT the
        // frozen float32 statistics are put back after each step so the encoder stays exactly the base run's.
        frozenBuffers = rrt && shadow is not null ? model.buffers().Select(b => (b, b.detach().clone())).ToArray() : null;
    }

    public IEpochSteps StartEpoch(int epoch)
    {
        model.train();
        var network = shadow?.Shadow ?? model;
        network.train();
        if (rrt)
        {
            // RRT freezes the encoder whole: its BatchNorm statistics too.
            model.EncoderEval();
            network.EncoderEval();
        }
        methods.StartEpoch();
        var loader = new BatchLoader(data.Store, data.Train, config.BatchSize, views, augment: true, shuffle: true,
            dropLast: true, config.Seed, epoch, config.Workers, prefetch: 4, data.Spec, config.EffectiveCropPadding());
        return new AgeEpochSteps(loader, data.Train.Length / config.BatchSize, Step);
    }

    /// <summary>The FDS statistics pass (from its start epoch), then MAE and MSE on val.</summary>
    public AgeValScore FinishEpoch(int epoch)
    {
        if (methods.Fds is { } fds && epoch >= fds.Options.StartUpdate) UpdateFdsStatistics(model, fds, data, epoch, config.Workers, device);
        return AgePredictions.Score(model, data, data.Val, config.Workers, device);
    }

    public AgeEpochRecord Record(EpochTotals totals, AgeValScore score) => new(
        totals.Epoch, totals.LearningRate, totals.TrainRegressionLoss, totals.TrainConRLoss, score.Mae, score.Mse,
        totals.Seconds, totals.ImagesPerSecond, totals.DataWaitFraction);

    public string Describe(AgeValScore score) => $"{methods.EpochSummary()}  val MAE {score.Mae:F3}";

    /// <summary>
    /// FDS statistics pass after training epoch <paramref name="epoch"/>: features of the whole training set (eval
    /// transform) folded into the FDS statistics. The model runs in eval mode, so BatchNorm uses its running statistics
    /// and does not update them (the official pass runs in train mode and moves them a second time each epoch).
    /// </summary>
    internal static void UpdateFdsStatistics(AgeRegressor model, Fds fds, AgeData data, int epoch, int workers, Device device)
    {
        var (features, labels) = AgePredictions.Features(model, data, data.Train, workers, device);
        using (features)
        using (labels)
        {
            fds.EndOfEpoch(features, labels, epoch);
        }
    }

    public void Dispose()
    {
        shadow?.Dispose();
        methods.Dispose();
        optimizer.Dispose();
        model.Dispose();
    }

    private StepLosses Step(HostBatch batch, StepContext context)
    {
        using var scope = NewDisposeScope();
        int b = batch.Count, size = config.ImageSize;
        var network = shadow?.Shadow ?? model;
        var inputType = shadow is null ? ScalarType.Float32 : ScalarType.BFloat16;
        double beta = config.BetaAt(context.EpochProgress);
        var inputs = batch.Views.Select(v => tensor(v, [b, 3, size, size]).to(device).to_type(inputType)).ToArray();
        var labels = tensor(batch.Labels, [b, 1]).to(device);
        var weights = tensor(batch.Indices.Select(i => data.Weights[i]).ToArray(), [b, 1]).to(device);
        optimizer.zero_grad();
        methods.ZeroGrad();
        shadow?.PullWeights();
        var outputs = AgeStepForward.Run(network.forward, inputs, labels, weights, config.ConR, stepKind);
        if (methods.Fds is { } fds && context.Epoch >= fds.Options.StartSmooth)
        {
            // FDS calibrates the L_R features only; ConR keeps the unsmoothed features and predictions.
            var calibrated = fds.Smooth(outputs.RegressionFeatures, outputs.RegressionLabels, context.Epoch);
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
            var random = new Random(SeedMix.Mix(config.Seed, context.Epoch, context.Step, RankSimStream));
            var rankSim = RankSim.Compute(outputs.FirstViewFeatures, labels, config.RankSimLambda, random);
            loss = loss + config.RankSimGamma * rankSim;
            methods.RecordRankSim(rankSim.item<float>());
        }
        context.CheckLoss(loss.item<float>());
        loss.backward();
        shadow?.PushGradients();
        RestoreFrozenBuffers();
        optimizer.step();
        methods.Step();
        return new StepLosses(regression.item<float>(), conrValue, b);
    }

    private void RestoreFrozenBuffers()
    {
        if (frozenBuffers is null) return;
        using var noGrad = no_grad();
        foreach (var (live, saved) in frozenBuffers) live.copy_(saved);
    }
}
