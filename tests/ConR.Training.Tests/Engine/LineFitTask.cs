using System.Runtime;
using ConR.Training.ConR;
using ConR.Training.Engine;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Engine;

/// <summary>
/// The smallest task the epoch driver can train: a linear layer fitted to y = 2x + 1 on fixed points, a few steps an
/// epoch, its val score the mean squared error (or a scripted score), a counter checkpointed beside the model.
/// </summary>
internal sealed class LineFitTask : ITrainingTask<double, LineFitRecord>
{
    private static readonly float[] Xs = [-1f, -0.5f, 0f, 0.5f, 1f, 1.5f];

    private readonly Linear model = nn.Linear(1, 1);
    private readonly OptimizerHelper optimizer;
    private readonly Func<int, double>? scriptedScore;
    private readonly double lossScale;

    /// <param name="scriptedScore">The val score of each epoch (0-based); null: the MSE on the points.</param>
    /// <param name="lossScale">Multiplies the training loss (NaN makes the run diverge).</param>
    /// <param name="metric">The name of the best-epoch metric, as state.json records it.</param>
    public LineFitTask(Func<int, double>? scriptedScore = null, double lossScale = 1, string metric = "valMse")
    {
        optimizer = optim.SGD(model.parameters(), 0.1);
        this.scriptedScore = scriptedScore;
        this.lossScale = lossScale;
        BestEpoch = new(metric, "val MSE", score => score);
    }

    /// <summary>Counts the epochs this task's steps ran, across resumes (saved as extra.txt).</summary>
    public int EpochsStepped { get; private set; }

    public bool? StartedResumed { get; private set; }

    /// <summary>The collector's latency mode during each step, in order (see CollectionFreeStep).</summary>
    public List<GCLatencyMode> StepLatencyModes { get; } = [];

    public nn.Module Model => model;

    public OptimizerHelper Optimizer => optimizer;

    public BestEpochRule<double> BestEpoch { get; }

    public string LossFormat => "F3";

    public void SaveExtra(string checkpointDir) => File.WriteAllText(Path.Combine(checkpointDir, "extra.txt"), EpochsStepped.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void LoadExtra(string checkpointDir) => EpochsStepped = int.Parse(File.ReadAllText(Path.Combine(checkpointDir, "extra.txt")), System.Globalization.CultureInfo.InvariantCulture);

    public void Start(bool resumed) => StartedResumed = resumed;

    public IEpochSteps StartEpoch(int epoch)
    {
        EpochsStepped++;
        return new Steps(this);
    }

    public double FinishEpoch(int epoch)
    {
        if (scriptedScore is not null) return scriptedScore(epoch);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (x, y) = Points();
        return nn.functional.mse_loss(model.forward(x), y).item<float>();
    }

    public LineFitRecord Record(EpochTotals totals, double score) => new(totals.Epoch, totals.LearningRate, totals.TrainRegressionLoss, score);

    public string Describe(double score) => $"  val MSE {score:F3}";

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
    }

    private static (Tensor X, Tensor Y) Points() =>
        (tensor(Xs, [Xs.Length, 1]), tensor(Xs.Select(x => (2 * x) + 1).ToArray(), [Xs.Length, 1]));

    private StepLosses Step(StepContext context)
    {
        StepLatencyModes.Add(GCSettings.LatencyMode);
        using var scope = NewDisposeScope();
        var (x, y) = Points();
        optimizer.zero_grad();
        var loss = lossScale * nn.functional.mse_loss(model.forward(x), y);
        context.CheckLoss(loss.item<float>());
        loss.backward();
        optimizer.step();
        return new StepLosses(loss.item<float>(), 0, Xs.Length);
    }

    private sealed class Steps(LineFitTask task) : IEpochSteps
    {
        public int Count => 3;

        public TimeSpan DataWait => TimeSpan.Zero;

        public StepLosses? Next(StepContext context) => context.Step < Count ? task.Step(context) : null;

        public void Dispose()
        {
        }
    }
}

internal sealed record LineFitRecord(int Epoch, double LearningRate, double TrainRegressionLoss, double ValMse);

/// <summary>The training options of <see cref="LineFitTask"/> runs (ConR off).</summary>
internal sealed record LineFitOptions() : TrainingOptions(new TrainingDefaults
{
    BatchSize = 6,
    ConRVariant = "Clean",
    Window = 1,
    Beta = 0,
    Temperature = 0.1,
    PushingScale = 0,
})
{
    public override ConROptions ConROptions() => ConROptions(global::ConR.Training.ConR.ConRVariant.Clean);
}
