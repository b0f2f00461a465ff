namespace ConR.Training.ConR;

/// <summary>Which label distance the depth ConR term uses.</summary>
public enum DepthConRVariant
{
    /// <summary>The official NYUD2 code: each map reduced to its mean depth, |ȳ_j − ȳ_k|.</summary>
    OfficialDepth,

    /// <summary>Maps average-pooled to a grid of cells, mean over cells of |Y_jc − Y_kc|.</summary>
    Dense,
}
