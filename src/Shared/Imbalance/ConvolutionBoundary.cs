namespace ConR.Shared.Imbalance;

/// <summary>How <see cref="Convolution1D"/> extends the input past its ends (scipy.ndimage <c>mode</c>).</summary>
public enum ConvolutionBoundary
{
    /// <summary>Pad with a constant (scipy <c>'constant'</c>, default value 0).</summary>
    Constant,

    /// <summary>Half-sample symmetric, repeated as often as needed: d c b a | a b c d | d c b a (scipy <c>'reflect'</c>).</summary>
    Reflect,
}
