using System.Globalization;
using ConR.Shared.ModelPackage;

namespace ConR.Training.Depth.Export;

/// <summary>
/// Whether a depth package was exported from a run: a picture that pairs one run's predictions with another model's
/// calibration would show widths that belong to neither. Compared are what the packager copies from the run into the
/// card, and which a later training or a different data set would change.
/// </summary>
public static class DepthPackageRunMatch
{
    /// <summary>Every way the card and the run disagree, as "what: card X, run Y"; empty when the card describes the run.</summary>
    /// <param name="card">The package's card.</param>
    /// <param name="config">The run's configuration.</param>
    /// <param name="bestEpoch">The run's best-on-val epoch, the one the packager exports.</param>
    public static IReadOnlyList<string> Differences(ModelCard card, DepthTrainConfig config, int bestEpoch)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(config);
        var differences = new List<string>();
        void Compare<T>(string what, T inCard, T inRun)
        {
            if (!EqualityComparer<T>.Default.Equals(inCard, inRun))
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"{what}: card {inCard}, run {inRun}"));
        }

        Compare("task", card.Task, ModelTasks.Depth);
        if (card.Task != ModelTasks.Depth) return differences;
        Compare("input size", $"{card.Input.Width}x{card.Input.Height}", $"{config.ImageWidth}x{config.ImageHeight}");
        Compare("architecture", card.Training.Architecture, config.Architecture);
        Compare("width", card.Training.Width, config.Width);
        Compare("loss", card.Training.Loss, config.Loss);
        Compare("seed", card.Training.Seed, config.Seed);
        Compare("best epoch", card.Training.BestEpoch, bestEpoch);
        // The training split's digest: the same settings on other data would pass every check above.
        var trainDigest = Sha256File.Of(config.TrainCsv);
        if (!string.Equals(card.DataSet.SplitSha256, trainDigest, StringComparison.OrdinalIgnoreCase))
            differences.Add($"training split SHA-256: card {card.DataSet.SplitSha256}, run {trainDigest} ({config.TrainCsv})");
        return differences;
    }
}
