using ConR.Shared.Metrics.Depth;
using ConR.Training.ConR;
using ConR.Training.Depth.Data;
using ConR.Training.Depth.Losses;
using ConR.Training.Depth.Models;
using ConR.Training.Encoder.Pretrained;
using ConR.Training.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConR.Training.Depth;

/// <summary>
/// The depth task on the <see cref="EpochDriver{TScore, TRecord}"/>: a <see cref="DepthNet"/> trained with
/// L = L_R + beta * L_ConR on one augmented batch (as the official NYUD2 code: no extra views), its best epoch chosen
/// on the balanced val RMSE.
/// </summary>
internal sealed class DepthTrainingTask : ITrainingTask<DepthDirTable, DepthEpochRecord>
{
    public static BestEpochRule<DepthDirTable> BestOnValRmse { get; } = new("valRmse", "val RMSE", table => table.All.Rmse);

    private readonly DepthTrainConfig config;
    private readonly DepthData data;
    private readonly Device device;
    private readonly TextWriter log;
    private readonly DepthNet model;
    private readonly OptimizerHelper optimizer;
    private Bf16Shadow<DepthNet>? shadow;

    public DepthTrainingTask(DepthTrainConfig config, DepthData data, Device device, TextWriter log)
    {
        if (data.Train.Length < config.BatchSize) throw new ConfigurationException($"the train split has {data.Train.Length} scenes, fewer than --batch-size {config.BatchSize}");
        if (data.Val.Length == 0) throw new ConfigurationException("the val CSV has no rows: the best epoch is chosen on val");
        this.config = config;
        this.data = data;
        this.device = device;
        this.log = log;
        model = new DepthNet(config.ModelSpec());
        model.to(device);
        optimizer = optim.Adam(model.parameters(), config.LearningRate, weight_decay: config.WeightDecay);
    }

    public nn.Module Model => model;

    public OptimizerHelper Optimizer => optimizer;

    public BestEpochRule<DepthDirTable> BestEpoch => BestOnValRmse;

    public string LossFormat => "F4";

    public void Start(bool resumed)
    {
        if (!resumed)
        {
            if (config.Init == ImageNetResNet18.InitName)
            {
                int loaded = DepthImageNetInit.Import(model, ImageNetResNet18.DefaultPath);
                log.WriteLine($"Init: loaded {loaded} ImageNet tensors from {ImageNetResNet18.DefaultPath}; the decoder starts fresh.");
            }
            model.InitializeOutputBias(data.MeanTrainDepth);
        }
        shadow = config.Precision == TrainingOptions.Bf16 ? new Bf16Shadow<DepthNet>(model, new DepthNet(config.ModelSpec()), device) : null;
    }

    public IEpochSteps StartEpoch(int epoch)
    {
        model.train();
        (shadow?.Shadow ?? model).train();
        return new DepthEpochSteps(data, config.BatchSize, config.Seed, epoch, config.Workers, Step);
    }

    public DepthDirTable FinishEpoch(int epoch) => DepthPredictions.Evaluate(model, data, "val", device, config.Workers).Table;

    public DepthEpochRecord Record(EpochTotals totals, DepthDirTable score) => new(
        totals.Epoch, totals.LearningRate, totals.TrainRegressionLoss, totals.TrainConRLoss, score.All.Rmse, score.All.Delta1, score.All.Mae,
        totals.Seconds, totals.ImagesPerSecond, totals.DataWaitFraction);

    public string Describe(DepthDirTable score) => $"  val RMSE {score.All.Rmse:F3} δ1 {score.All.Delta1:F3}";

    /// <summary>
    /// The value the divergence guard watches: the loss itself, except for Balanced MSE, whose loss can be negative
    /// (then the plain squared error of the batch plus beta * L_ConR); a non-finite loss always passes through.
    /// </summary>
    internal static double WatchedLoss(DepthLossKind kind, double loss, Func<double> plainMse, double beta, double conr) =>
        kind == DepthLossKind.Bni && double.IsFinite(loss) ? plainMse() + (beta * conr) : loss;

    public void Dispose()
    {
        shadow?.Dispose();
        optimizer.Dispose();
        model.Dispose();
    }

    private StepLosses Step(DepthEpochSteps.Batch batch, StepContext context)
    {
        using var scope = NewDisposeScope();
        int b = config.BatchSize;
        var spec = config.ModelSpec();
        var network = shadow?.Shadow ?? model;
        var inputType = shadow is null ? ScalarType.Float32 : ScalarType.BFloat16;
        var input = tensor(batch.Rgb, [b, 3, config.ImageHeight, config.ImageWidth]).to(device);
        var target = tensor(batch.Depth, [b, 1, spec.OutputHeight, spec.OutputWidth]).to(device);
        var pixelWeights = tensor(batch.Weights, [b, 1, spec.OutputHeight, spec.OutputWidth]).to(device);
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
        context.CheckLoss(WatchedLoss(config.LossKind(), loss.item<float>(),
            () => DepthRegressionLoss.Compute(DepthLossKind.Mse, prediction.detach(), target, target.gt(0).to_type(ScalarType.Float32)).item<float>(),
            config.Beta, conrValue));
        loss.backward();
        shadow?.PushGradients();
        optimizer.step();
        return new StepLosses(regression.item<float>(), conrValue, b);
    }
}
