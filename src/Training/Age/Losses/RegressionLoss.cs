using static TorchSharp.torch;

namespace ConR.Training.Age.Losses;

/// <summary>The regression losses of the DIR code base, each weighted per element and averaged.</summary>
public enum RegressionLossKind
{
    L1,
    Mse,
    Huber,
    FocalL1,
    FocalMse,
}

public static class RegressionLoss
{
    /// <summary>Huber's transition point (beta) in label units, as the DIR code.</summary>
    public const double HuberBeta = 1.0;

    /// <summary>Focal-R's activation scale and exponent (digest 2.3).</summary>
    public const double FocalBeta = 0.2, FocalGamma = 1.0;

    public static RegressionLossKind Parse(string name) => name.ToLowerInvariant().Replace("-", "_", StringComparison.Ordinal) switch
    {
        "l1" => RegressionLossKind.L1,
        "mse" => RegressionLossKind.Mse,
        "huber" => RegressionLossKind.Huber,
        "focal_l1" => RegressionLossKind.FocalL1,
        "focal_mse" => RegressionLossKind.FocalMse,
        _ => throw new ArgumentException($"unknown loss '{name}' (l1, mse, huber, focal_l1, focal_mse)", nameof(name)),
    };

    /// <summary>mean(weight * loss(prediction - target)); weights null means all ones.</summary>
    public static Tensor Compute(RegressionLossKind kind, Tensor prediction, Tensor target, Tensor? weights)
    {
        using var scope = NewDisposeScope();
        var error = prediction - target;
        var absError = error.abs();
        var perElement = kind switch
        {
            RegressionLossKind.L1 => absError,
            RegressionLossKind.Mse => error.square(),
            RegressionLossKind.Huber => where(absError.lt(HuberBeta), 0.5 * error.square() / HuberBeta, absError - 0.5 * HuberBeta),
            RegressionLossKind.FocalL1 => absError * (2 * (FocalBeta * absError).sigmoid() - 1).pow(FocalGamma),
            RegressionLossKind.FocalMse => error.square() * (2 * (FocalBeta * absError).sigmoid() - 1).pow(FocalGamma),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        if (weights is not null) perElement = perElement * weights.reshape(perElement.shape);
        return perElement.mean().MoveToOuterDisposeScope();
    }
}
