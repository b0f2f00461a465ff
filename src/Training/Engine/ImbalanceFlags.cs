using ConR.Shared.Imbalance;

namespace ConR.Training.Engine;

/// <summary>The --reweight / --lds flags shared by the age and depth configurations, parsed in one place.</summary>
public static class ImbalanceFlags
{
    public static ReweightMode ParseReweight(string reweight) => reweight.ToLowerInvariant() switch
    {
        "none" => ReweightMode.None,
        "sqrt_inv" => ReweightMode.SqrtInv,
        "inverse" => ReweightMode.Inverse,
        _ => throw new ConfigurationException($"--reweight must be none, sqrt_inv or inverse (got '{reweight}')"),
    };

    public static LdsOptions? Lds(bool enabled, string kernel, int kernelSize, double sigma) => enabled
        ? new LdsOptions(Enum.Parse<LdsKernelKind>(kernel, ignoreCase: true), kernelSize, sigma)
        : null;
}
