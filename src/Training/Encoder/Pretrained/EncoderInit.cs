using ConR.Training.Engine;

namespace ConR.Training.Encoder.Pretrained;

/// <summary>
/// The <c>--init</c> values every task offers: where a model's encoder weights start. A config.json from before the
/// field reads as <see cref="None"/>, which is what those runs did.
/// </summary>
public static class EncoderInit
{
    /// <summary>He-normal, from scratch.</summary>
    public const string None = "none";

    /// <summary>
    /// Whether <paramref name="init"/> asks for the ImageNet weights (<see cref="ImageNetResNet18.InitName"/>); false
    /// for <see cref="None"/>, and any other value is refused.
    /// </summary>
    public static bool IsImageNet(string init)
    {
        if (init == None) return false;
        if (init != ImageNetResNet18.InitName)
            throw new ConfigurationException($"--init must be {None} or {ImageNetResNet18.InitName} (got '{init}')");
        return true;
    }
}
