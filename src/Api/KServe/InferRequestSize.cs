using ConR.Api.Inference;
using ConR.Api.Options;

namespace ConR.Api.KServe;

/// <summary>How large a valid KServe v2 inference request for a model can be: the default body limit.</summary>
internal static class InferRequestSize
{
    /// <summary>
    /// Room per number: a float64 written with 17 digits and an exponent (up to 24 bytes), a separator, and the 32 spaces
    /// of indentation a 4-d nested array pretty-printed with indent 4 puts before each number.
    /// </summary>
    public const int BytesPerNumber = 64;

    /// <summary>Room for the id, names, shape, parameters and nesting brackets.</summary>
    public const int EnvelopeBytes = 64 * 1024;

    /// <summary>The body size of the largest valid request for <paramref name="layout"/>.</summary>
    public static long LargestValidBytes(TensorLayout layout) =>
        ((long)InferenceOptions.MaxImagesPerRequest * layout.InputLength * BytesPerNumber) + EnvelopeBytes;
}
