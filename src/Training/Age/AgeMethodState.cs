using System.Globalization;
using ConR.Training.Age.Data;
using ConR.Training.Age.Models;
using ConR.Training.Engine;
using ConR.Training.Methods;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConR.Training.Age;

/// <summary>
/// What the optional methods of an age run keep between steps, and how it is checkpointed: FDS statistics
/// (<see cref="FdsFile"/>) and Balanced MSE's noise sigma with its own optimizer (<see cref="SigmaFile"/>,
/// <see cref="SigmaOptimizerFile"/>), each a file next to model.bin so the model's state dict never changes.
/// Everything is null, and every call a no-op, for a run without them.
/// </summary>
public sealed class AgeMethodState : IDisposable
{
    public const string FdsFile = "fds.bin", SigmaFile = "bmse-sigma.bin", SigmaOptimizerFile = "bmse-optimizer.bin";

    private readonly OptimizerHelper? sigmaOptimizer;
    private double rankSimSum;
    private int rankSimSteps;

    private AgeMethodState(Fds? fds, BalancedMseLoss? balancedMse, OptimizerHelper? sigmaOptimizer)
    {
        Fds = fds;
        BalancedMse = balancedMse;
        this.sigmaOptimizer = sigmaOptimizer;
    }

    public Fds? Fds { get; }

    public BalancedMseLoss? BalancedMse { get; }

    public static AgeMethodState Create(AgeTrainConfig config, AgeRegressor model, AgeData data, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var fds = config.Fds ? new Fds(model.FeatureSize, config.FdsOptions(), device) : null;
        BalancedMseLoss? bmse = null;
        OptimizerHelper? sigmaOptimizer = null;
        if (config.Bmse)
        {
            var labels = data.Train.Select(i => (double)data.Label(i)).ToArray();
            bmse = BalancedMseLoss.Create(config.BalancedMseKind(), config.BmseSigma, config.BmseLearnSigma, data.TrainHistogram, labels,
                config.GaiComponents, config.Seed, device);
            // The noise sigma has its own learning rate and, as in the official code, no schedule.
            if (bmse.Learned) sigmaOptimizer = optim.Adam(bmse.Sigma.parameters(), config.BmseSigmaLr);
        }
        return new AgeMethodState(fds, bmse, sigmaOptimizer);
    }

    public void ZeroGrad() => sigmaOptimizer?.zero_grad();

    public void Step() => sigmaOptimizer?.step();

    public void StartEpoch()
    {
        rankSimSum = 0;
        rankSimSteps = 0;
    }

    public void RecordRankSim(double value)
    {
        rankSimSum += value;
        rankSimSteps++;
    }

    /// <summary>Extra columns of the epoch log line ("" for a run without methods that log anything).</summary>
    public string EpochSummary()
    {
        var text = "";
        if (rankSimSteps > 0) text += string.Create(CultureInfo.InvariantCulture, $"  L_RankSim {rankSimSum / rankSimSteps:F3}");
        if (BalancedMse is { Learned: true } bmse) text += string.Create(CultureInfo.InvariantCulture, $"  sigma {bmse.Sigma.Value:F3}");
        return text;
    }

    public void Save(string checkpointDir)
    {
        Fds?.save(Path.Combine(checkpointDir, FdsFile));
        if (BalancedMse is not null) BalancedMse.Sigma.save(Path.Combine(checkpointDir, SigmaFile));
        sigmaOptimizer?.save_state_dict(Path.Combine(checkpointDir, SigmaOptimizerFile));
    }

    public void Load(string checkpointDir)
    {
        if (Fds is not null) Fds.load(Required(checkpointDir, FdsFile));
        if (BalancedMse is not null) BalancedMse.Sigma.load(Required(checkpointDir, SigmaFile));
        sigmaOptimizer?.load_state_dict(Required(checkpointDir, SigmaOptimizerFile));
    }

    public void Dispose()
    {
        Fds?.Dispose();
        BalancedMse?.Dispose();
        sigmaOptimizer?.Dispose();
    }

    private static string Required(string dir, string file)
    {
        var path = Path.Combine(dir, file);
        return File.Exists(path) ? path : throw new ConfigurationException($"{path} is missing: the checkpoint was not written by a run with these flags");
    }
}
