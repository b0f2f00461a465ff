namespace ConR.Training.Age;

/// <summary>How the augmented views of a ConR training step pass through the network (docs/methods.md).</summary>
public enum ConRStepKind
{
    /// <summary>
    /// The official age step: view 1 alone in one forward pass for L_R, views 2 and 3 together in a second pass for
    /// ConR, so BatchNorm normalises the L_R batch (B) and the ConR batch (2B) separately. Three backbone passes per
    /// sample.
    /// </summary>
    Official,

    /// <summary>
    /// The three views in one forward pass (BatchNorm statistics over 3B), L_R on the first, ConR on the other two.
    /// What conr-train did before the official step became the default; kept to reproduce older runs.
    /// </summary>
    SingleForward,

    /// <summary>
    /// Two views in one forward pass: L_R on both, ConR on the same features. Two backbone passes per sample, for
    /// comparisons at equal compute.
    /// </summary>
    TwoView,
}

public static class ConRStepKinds
{
    /// <summary>The command-line names, in the order of <see cref="ConRStepKind"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["official", "single-forward", "two-view"];

    public static ConRStepKind Parse(string name) => name.ToLowerInvariant() switch
    {
        "official" => ConRStepKind.Official,
        "single-forward" => ConRStepKind.SingleForward,
        "two-view" => ConRStepKind.TwoView,
        _ => throw new ArgumentException($"unknown ConR step '{name}' ({string.Join(", ", Names)})", nameof(name)),
    };

    /// <summary>Augmented views drawn per sample: one without ConR, otherwise what the step consumes.</summary>
    public static int ViewsPerSample(bool conr, ConRStepKind step) => !conr ? 1 : step == ConRStepKind.TwoView ? 2 : 3;
}
