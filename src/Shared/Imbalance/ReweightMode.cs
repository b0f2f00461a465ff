namespace ConR.Shared.Imbalance;

/// <summary>How per-bin training counts become sample weights (DIR <c>--reweight</c>).</summary>
public enum ReweightMode
{
    /// <summary>No re-weighting: every sample weighs 1.</summary>
    None,

    /// <summary>Weight proportional to 1 / sqrt(n_b).</summary>
    SqrtInv,

    /// <summary>Weight proportional to 1 / clip(n_b, 5, 1000).</summary>
    Inverse,
}
