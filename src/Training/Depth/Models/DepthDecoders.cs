namespace ConR.Training.Depth.Models;

/// <summary>
/// The decoders <see cref="DepthNet"/> can build, by the name config.json records (<c>--decoder</c>). A config.json
/// written before the choice existed has no decoder field and reads as <see cref="Stride4"/>, the decoder it was
/// trained with.
/// </summary>
public static class DepthDecoders
{
    /// <summary>
    /// The first decoder (models/depth/1): skips at strides 32 to 4, then one bilinear upsampling to the output size,
    /// so details finer than the stride-4 grid never reach the output.
    /// </summary>
    public const string Stride4 = "stride4";

    /// <summary>
    /// Skips at every scale down to the input's: the stages at strides 32 to 4, the stem's stride-2 feature (before its
    /// max-pool) and a light convolution of the image itself at full resolution; needs <c>--output-fraction 1</c>.
    /// </summary>
    public const string Full = "full";

    public static IReadOnlyList<string> Names { get; } = [Stride4, Full];

    /// <summary>The canonical name, or an <see cref="ArgumentException"/> listing the choices.</summary>
    public static string Parse(string name) => name?.ToLowerInvariant() switch
    {
        Stride4 => Stride4,
        Full => Full,
        _ => throw new ArgumentException($"--decoder must be {string.Join(" or ", Names)} (got '{name}')", nameof(name)),
    };
}
