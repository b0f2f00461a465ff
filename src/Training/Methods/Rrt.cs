using ConR.Training.Age.Models;
using ConR.Training.Engine;
using static TorchSharp.torch;

namespace ConR.Training.Methods;

/// <summary>
/// Regressor re-training (Kang et al., ICLR 2020, as used by the DIR benchmarks; docs/conr-digest.md §2.3): stage 2
/// of a two-stage run. The encoder of a trained run is loaded and frozen, the final linear layer is re-initialised
/// and trained alone, with re-weighting (or Balanced MSE).
/// </summary>
public static class Rrt
{
    /// <summary>Name prefix of the final linear layer in <see cref="AgeRegressor"/>'s state dict.</summary>
    public const string RegressorPrefix = "regressor.";

    /// <summary>
    /// Copies every parameter and buffer of <paramref name="checkpoint"/> except the regressor's into
    /// <paramref name="model"/>, which keeps its freshly initialised regressor.
    /// </summary>
    /// <returns>The number of tensors copied.</returns>
    public static int LoadEncoder(AgeRegressor model, string checkpoint)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!File.Exists(checkpoint)) throw new ConfigurationException($"--rrt-from: {checkpoint} does not exist");
        using var source = new AgeRegressor(model.Spec);
        source.load(checkpoint);
        var target = model.state_dict();
        int copied = 0;
        using var noGrad = no_grad();
        foreach (var (name, value) in source.state_dict())
        {
            if (name.StartsWith(RegressorPrefix, StringComparison.Ordinal)) continue;
            target[name].copy_(value);
            copied++;
        }
        return copied;
    }

    /// <summary>The base run's checkpoint RRT starts from: its best-on-val model.</summary>
    public static string BaseCheckpoint(string baseRunDir) => new RunDirectory(baseRunDir).VerifiedBestModelPath();
}
