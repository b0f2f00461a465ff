using ConR.Shared.Preprocessing;
using static TorchSharp.torch;

namespace ConR.Training.Encoder.Pretrained;

/// <summary>
/// Rewrites a stem convolution trained on BGR pixels at 0-255 minus per-channel means so that it gives the same
/// response on our input, RGB <c>(x / 255 - mean) / std</c> (<see cref="ImageSpec"/>). The serving path, the model
/// card's input spec and the exporter then stay exactly as they are for every other model of the task.
/// </summary>
/// <remarks>
/// <para>With P the pixel (0-255) and y our input, P_c = 255 (std_c y_c + mean_c), so the source network's input in our
/// channel order is x_c = P_c - M_c = 255 std_c y_c + (255 mean_c - M_c). A convolution is linear, so
/// W * x = (W_rgb 255 std) * y + b, where W_rgb is W with its input channels reversed and
/// b_o = sum_{c,i,j} W_rgb[o,c,i,j] (255 mean_c - M_c) is a constant per output channel. The stem convolution has no
/// bias and is followed by BatchNorm, so b goes into the running mean (BN(z + b) with mean m equals BN(z) with mean
/// m - b); in train mode the batch statistics remove a per-channel constant anyway.</para>
/// <para>Exact in the interior. Within half a kernel of the border the two differ in what the zero padding means: the
/// source pads with its zero, the mean colour (P = M, about RGB 123/116/103), ours with y = 0, mid grey (P = 127.5
/// for mean 0.5): at most 24 grey levels of padding, in blue. The source's per-pixel mean image (it varies by 3-6
/// levels across the image) is replaced by its per-channel means: the other approximation.</para>
/// </remarks>
public static class StemInputFolding
{
    /// <summary>The folded stem weight and BatchNorm running mean; the inputs are left as they are.</summary>
    /// <param name="weightBgr">Stem convolution [O, 3, k, k] whose input channels are B, G, R at 0-255 minus <paramref name="meansBgr"/>.</param>
    /// <param name="runningMean">The running mean [O] of the BatchNorm after it.</param>
    /// <param name="meansBgr">The per-channel means the source subtracted, B, G, R, in 0-255 units.</param>
    /// <param name="spec">Our input's normalisation.</param>
    public static (Tensor Weight, Tensor RunningMean) Fold(Tensor weightBgr, Tensor runningMean, IReadOnlyList<double> meansBgr, ImageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(weightBgr);
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(meansBgr);
        ArgumentNullException.ThrowIfNull(spec);
        if (weightBgr.dim() != 4 || weightBgr.shape[1] != 3 || meansBgr.Count != 3)
            throw new ArgumentException("the stem convolution must have 3 input channels and 3 means", nameof(weightBgr));
        using var scope = NewDisposeScope();
        // Computed in float64: the bias sums 147 products of weights with shifts near 25, and a float32 sum would round.
        var rgb = weightBgr.to_type(ScalarType.Float64).flip(1);
        var scale = tensor(spec.Std.Select(s => 255.0 * s).ToArray(), device: weightBgr.device).reshape(1, 3, 1, 1);
        var shift = tensor(Enumerable.Range(0, 3).Select(c => 255.0 * spec.Mean[c] - meansBgr[2 - c]).ToArray(), device: weightBgr.device).reshape(1, 3, 1, 1);
        var weight = (rgb * scale).to_type(weightBgr.dtype);
        var bias = (rgb * shift).sum([1, 2, 3]);
        var mean = (runningMean.to_type(ScalarType.Float64) - bias).to_type(runningMean.dtype);
        return (weight.MoveToOuterDisposeScope(), mean.MoveToOuterDisposeScope());
    }
}
