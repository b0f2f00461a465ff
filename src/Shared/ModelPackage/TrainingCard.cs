using System.Text.Json.Nodes;

namespace ConR.Shared.ModelPackage;

/// <summary>How the packaged model was trained. The named fields are what a reader needs; <see cref="RawConfig"/> keeps the rest.</summary>
/// <param name="Architecture">Backbone, e.g. "resnet18".</param>
/// <param name="Width">Channel-width multiplier of the backbone (1 = the standard network), e.g. 0.5.</param>
/// <param name="ImageSize">Training input side in pixels.</param>
/// <param name="Loss">Regression loss, e.g. "l1".</param>
/// <param name="ConR">The ConR term and its hyper-parameters.</param>
/// <param name="Reweight">Loss re-weighting: "none", "sqrt_inv" or "inverse".</param>
/// <param name="Lds">Whether label-distribution smoothing was applied to the re-weighting.</param>
/// <param name="Epochs">Epochs trained; ≥ 1.</param>
/// <param name="BestEpoch">The epoch whose weights were exported (selected on validation); 0 ≤ BestEpoch ≤ Epochs.</param>
/// <param name="Seed">Random seed.</param>
/// <param name="Precision">"fp32" or "bf16".</param>
/// <param name="WallSeconds">Training wall-clock time in seconds; ≥ 0.</param>
/// <param name="RawConfig">The full run configuration as saved by the trainer.</param>
public sealed record TrainingCard(
    string Architecture,
    double Width,
    int ImageSize,
    string Loss,
    ConRCard ConR,
    string Reweight,
    bool Lds,
    int Epochs,
    int BestEpoch,
    int Seed,
    string Precision,
    double WallSeconds,
    JsonObject RawConfig);
