using ConR.Training.Encoder;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ConR.Training.Age.Models;

/// <summary>ResNet encoder, global average pool, linear regressor. The pooled vector is what ConR sees.</summary>
public sealed class AgeRegressor : Module<Tensor, (Tensor Prediction, Tensor Features)>
{
    private readonly ResNetEncoder encoder;
    private readonly Linear regressor;

    public AgeRegressor(ModelSpec spec) : base("age")
    {
        Spec = spec;
        encoder = new ResNetEncoder("encoder", ResNetArchitecture.Parse(spec.Architecture), spec.Width, StemKinds.ForImageSize(spec.ImageSize));
        regressor = Linear(encoder.FeatureSize, 1);
        RegisterComponents();
    }

    public ModelSpec Spec { get; }

    public int FeatureSize => encoder.FeatureSize;

    /// <summary>The ResNet encoder (what <c>--init imagenet-resnet18</c> loads).</summary>
    internal ResNetEncoder Encoder => encoder;

    public override (Tensor Prediction, Tensor Features) forward(Tensor input)
    {
        var map = encoder.forward(input);
        var features = functional.adaptive_avg_pool2d(map, 1).flatten(1);
        return (regressor.forward(features), features);
    }

    public void InitializeRegressorBias(double value)
    {
        using var noGrad = no_grad();
        regressor.bias!.fill_(value);
    }

    /// <summary>Parameters of the final linear layer only (what RRT retrains).</summary>
    public IEnumerable<Parameter> RegressorParameters() => regressor.parameters();

    /// <summary>The final linear layer alone: predictions from (e.g. FDS-calibrated) pooled features.</summary>
    public Tensor Regress(Tensor features) => regressor.forward(features);

    /// <summary>Stops gradients into the encoder (RRT): only <see cref="RegressorParameters"/> stay trainable.</summary>
    public void FreezeEncoder()
    {
        foreach (var parameter in encoder.parameters()) parameter.requires_grad = false;
    }

    /// <summary>Puts the encoder (its BatchNorm layers) in eval mode, leaving the module's own mode as it is (RRT).</summary>
    public void EncoderEval() => encoder.eval();
}

/// <summary>What is needed to rebuild a model exactly: saved in every run and checked when loading weights.</summary>
public sealed record ModelSpec(string Task, string Architecture, double Width, int ImageSize)
{
    public const string AgeTask = "age";
}
