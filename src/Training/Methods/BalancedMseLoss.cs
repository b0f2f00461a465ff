using ConR.Shared.Imbalance;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConR.Training.Methods;

/// <summary>
/// The noise scale σ of Balanced MSE as a one-parameter module, so it saves and loads (<c>bmse-sigma.bin</c> next to
/// the model checkpoint) and an optimizer can learn it. Frozen unless learned.
/// </summary>
public sealed class NoiseSigma : nn.Module
{
    private readonly Parameter sigma;

    public NoiseSigma(double initial, bool learned, Device? device = null) : base("bmse")
    {
        if (!(initial > 0) || double.IsInfinity(initial)) throw new ArgumentOutOfRangeException(nameof(initial), initial, "the noise sigma must be positive");
        sigma = new Parameter(tensor((float)initial, device: device ?? CPU), requires_grad: learned);
        register_parameter("noise_sigma", sigma);
    }

    public Parameter Sigma => sigma;

    /// <summary>σ² (differentiable when learned).</summary>
    public Tensor Variance() => sigma.square();

    public double Value => sigma.item<float>();
}

/// <summary>Balanced MSE as the trainer uses it: one form, its prior, and the noise σ (fixed or learned).</summary>
public sealed class BalancedMseLoss : IDisposable
{
    private readonly Tensor? centres, logPrior, logWeights, means, variances;

    private BalancedMseLoss(BalancedMseKind kind, NoiseSigma sigma, Tensor? centres, Tensor? logPrior, GaussianMixture1D? mixture, Device device)
    {
        Kind = kind;
        Sigma = sigma;
        this.centres = centres;
        this.logPrior = logPrior;
        Mixture = mixture;
        if (mixture is not null)
        {
            logWeights = tensor(mixture.Weights.Select(w => (float)Math.Log(w)).ToArray(), device: device);
            means = tensor(mixture.Means.Select(v => (float)v).ToArray(), device: device);
            variances = tensor(mixture.Variances.Select(v => (float)v).ToArray(), device: device);
        }
    }

    public BalancedMseKind Kind { get; }

    public NoiseSigma Sigma { get; }

    public bool Learned => Sigma.Sigma.requires_grad;

    /// <summary>The fitted prior of the GAI form (null otherwise).</summary>
    public GaussianMixture1D? Mixture { get; }

    /// <summary>
    /// Builds the loss for scalar labels. BNI's bins are the label bins with a training count above zero (integer ages
    /// for <see cref="LabelBins.Age"/>), centred on their lower edge plus half a width for non-unit bins; the prior is
    /// the normalised count. GAI fits <paramref name="gaiComponents"/> components to the training labels with EM.
    /// </summary>
    public static BalancedMseLoss Create(BalancedMseKind kind, double initialSigma, bool learnSigma, LabelHistogram trainHistogram,
        IReadOnlyList<double> trainLabels, int? gaiComponents, int seed, Device device)
    {
        ArgumentNullException.ThrowIfNull(trainHistogram);
        ArgumentNullException.ThrowIfNull(trainLabels);
        var sigma = new NoiseSigma(initialSigma, learnSigma, device);
        switch (kind)
        {
            case BalancedMseKind.Bmc:
                return new BalancedMseLoss(kind, sigma, null, null, null, device);
            case BalancedMseKind.Bni:
            {
                var bins = trainHistogram.Bins;
                var used = Enumerable.Range(0, bins.Count).Where(b => trainHistogram[b] > 0).ToArray();
                if (used.Length == 0) throw new ArgumentException("BNI needs a non-empty training histogram");
                double offset = bins.Width == 1 ? 0 : bins.Width / 2;
                var c = tensor(used.Select(b => (float)(bins.LowerEdge(b) + offset)).ToArray(), device: device);
                var log = tensor(used.Select(b => (float)Math.Log((double)trainHistogram[b] / trainHistogram.Total)).ToArray(), device: device);
                return new BalancedMseLoss(kind, sigma, c, log, null, device);
            }
            case BalancedMseKind.Gai:
            {
                if (gaiComponents is not int k) throw new ArgumentException("GAI needs the number of mixture components");
                var mixture = GaussianMixture1D.Fit(trainLabels, k, seed);
                return new BalancedMseLoss(kind, sigma, null, null, mixture, device);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown Balanced MSE form");
        }
    }

    /// <summary>The loss of a batch (scaled by 2σ², σ detached in the scale).</summary>
    public Tensor Compute(Tensor prediction, Tensor target)
    {
        using var scope = NewDisposeScope();
        var noiseVar = Sigma.Variance();
        var loss = Kind switch
        {
            BalancedMseKind.Bmc => BalancedMse.Bmc(prediction, target, noiseVar),
            BalancedMseKind.Bni => BalancedMse.Bni(prediction, target, noiseVar, centres!, logPrior!),
            _ => BalancedMse.Gai(prediction, target, noiseVar, logWeights!, means!, variances!),
        };
        return loss.MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Sigma.Dispose();
        centres?.Dispose();
        logPrior?.Dispose();
        logWeights?.Dispose();
        means?.Dispose();
        variances?.Dispose();
    }
}
