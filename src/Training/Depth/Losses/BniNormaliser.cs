using static TorchSharp.torch;

namespace ConR.Training.Depth.Losses;

/// <summary>
/// Balanced MSE's normaliser F(ŷ) = logsumexp_b( log p_b − (ŷ − c_b)²/(2σ²) ) as a cubic Hermite table.
/// F depends on the prediction only (σ is fixed), so it is a smooth function of one variable: tabulating F and
/// F′ = (E_softmax[c] − ŷ)/σ² once, in double precision, and interpolating per pixel costs a few element-wise
/// operations instead of a pixels × bins matrix. At 128×96 with 100 bins that matrix is 39 M elements per batch of 32,
/// which made a BNI step ~9x slower than an MSE step on one CPU core (8 s against 0.9 s).
/// Knots every σ/200 over [c_min − 12σ, c_max + 12σ]: the interpolation error is O(h⁴) in F and O(h³) in its
/// gradient, below float32 rounding (the tests compare with the exact formula). Beyond the table F is continued along
/// its end tangent (only a diverging run gets there; the fit term then still pulls the prediction back).
/// </summary>
internal sealed class BniNormaliser
{
    private const double KnotsPerSigma = 200;
    private const double MarginSigmas = 12;

    private readonly double start, step;
    private readonly double[] values, tangents; // F and F′·step per knot

    public BniNormaliser(IReadOnlyList<float> centres, IReadOnlyList<float> logPrior, double sigma)
    {
        var twoVar = 2 * sigma * sigma;
        step = sigma / KnotsPerSigma;
        start = centres.Min() - (MarginSigmas * sigma);
        var knots = (int)Math.Ceiling((centres.Max() + (MarginSigmas * sigma) - start) / step) + 1;
        values = new double[knots];
        tangents = new double[knots];
        var logits = new double[centres.Count];
        for (var k = 0; k < knots; k++)
        {
            var p = start + (k * step);
            var max = double.NegativeInfinity;
            for (var b = 0; b < logits.Length; b++)
            {
                var d = p - centres[b];
                logits[b] = logPrior[b] - (d * d / twoVar);
                max = Math.Max(max, logits[b]);
            }

            double sum = 0, weightedCentre = 0;
            for (var b = 0; b < logits.Length; b++)
            {
                var w = Math.Exp(logits[b] - max);
                sum += w;
                weightedCentre += w * centres[b];
            }

            values[k] = max + Math.Log(sum);
            tangents[k] = step * ((weightedCentre / sum) - p) / (sigma * sigma);
        }
    }

    /// <summary>F at each element of <paramref name="prediction"/> (any shape, any float type), in float64, differentiable.</summary>
    public Tensor At(Tensor prediction)
    {
        using var scope = NewDisposeScope();
        var device = prediction.device;
        var last = values.Length - 1;
        var p = prediction.to_type(ScalarType.Float64);
        var inside = p.clamp(start, start + (last * step));
        var beyond = p - inside; // < 0 below the table, > 0 above it, 0 inside
        var u = ((inside - start) / step).clamp(0, last - 1e-9);
        var i = u.detach().floor().to_type(ScalarType.Int64);
        var t = u - i.to_type(ScalarType.Float64);
        var f = tensor(values, device: device);
        var d = tensor(tangents, device: device);
        var t2 = t.square();
        var t3 = t2 * t;

        // Cubic Hermite basis on [knot i, knot i+1].
        var h00 = (2 * t3) - (3 * t2) + 1;
        var h10 = t3 - (2 * t2) + t;
        var h01 = (3 * t2) - (2 * t3);
        var h11 = t3 - t2;
        var next = i + 1;
        var interpolated = (h00 * f.take(i)) + (h10 * d.take(i)) + (h01 * f.take(next)) + (h11 * d.take(next));
        var extrapolated = ((beyond.clamp_max(0) * tangents[0]) + (beyond.clamp_min(0) * tangents[last])) / step;
        return (interpolated + extrapolated).MoveToOuterDisposeScope();
    }
}
