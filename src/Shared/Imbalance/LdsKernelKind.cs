namespace ConR.Shared.Imbalance;

/// <summary>Shape of the label-distribution-smoothing (LDS) window.</summary>
public enum LdsKernelKind
{
    /// <summary>A delta smoothed by scipy's <c>gaussian_filter1d</c> (reflect mode, truncate 4).</summary>
    Gaussian,

    /// <summary>scipy's <c>signal.windows.triang</c>.</summary>
    Triang,

    /// <summary>exp(-|x| / sigma), x in [-h, h].</summary>
    Laplace,
}
