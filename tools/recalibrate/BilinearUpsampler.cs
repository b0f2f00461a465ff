namespace ConR.Recalibrate;

/// <summary>
/// Bilinear resize with half-pixel centres (PyTorch's <c>interpolate(mode="bilinear", align_corners=False)</c>, ONNX
/// Resize <c>half_pixel</c>): how the trainer brings the depth map to the ground truth's resolution before it measures.
/// </summary>
internal static class BilinearUpsampler
{
    /// <summary>[height, width] from [sourceHeight, sourceWidth], row-major.</summary>
    public static float[] HalfPixel(ReadOnlySpan<float> source, int sourceHeight, int sourceWidth, int height, int width)
    {
        if (source.Length != sourceHeight * sourceWidth)
        {
            throw new ArgumentException($"Expected {sourceHeight * sourceWidth} values for {sourceWidth}x{sourceHeight}, got {source.Length}.", nameof(source));
        }

        var xs = Taps(sourceWidth, width);
        var ys = Taps(sourceHeight, height);
        var result = new float[height * width];
        for (var y = 0; y < height; y++)
        {
            var (y0, y1, wy0, wy1) = ys[y];
            var row0 = source.Slice(y0 * sourceWidth, sourceWidth);
            var row1 = source.Slice(y1 * sourceWidth, sourceWidth);
            for (var x = 0; x < width; x++)
            {
                var (x0, x1, wx0, wx1) = xs[x];
                result[(y * width) + x] = (wy0 * ((wx0 * row0[x0]) + (wx1 * row0[x1]))) + (wy1 * ((wx0 * row1[x0]) + (wx1 * row1[x1])));
            }
        }

        return result;
    }

    // PyTorch's area_pixel_compute_source_index: src = (dst + 0.5) * in / out - 0.5, clamped at 0; the right tap is
    // clamped at the last pixel.
    private static (int I0, int I1, float W0, float W1)[] Taps(int sourceSize, int size)
    {
        var scale = (float)sourceSize / size;
        var taps = new (int, int, float, float)[size];
        for (var i = 0; i < size; i++)
        {
            var real = Math.Max((scale * (i + 0.5f)) - 0.5f, 0f);
            var i0 = Math.Min((int)real, sourceSize - 1);
            var i1 = i0 + (i0 < sourceSize - 1 ? 1 : 0);
            var w1 = Math.Clamp(real - i0, 0f, 1f);
            taps[i] = (i0, i1, 1f - w1, w1);
        }

        return taps;
    }
}
