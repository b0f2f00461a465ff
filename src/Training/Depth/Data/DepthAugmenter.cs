using ConR.Training.Engine;


namespace ConR.Training.Depth.Data;

/// <summary>
/// The NYUD2-DIR paired RGB + depth transforms (docs/conr-digest.md §3.3), at a configurable output size.
/// Train (<see cref="Apply"/>): scale the shorter side to <see cref="ScaleShorterSide"/>, random horizontal flip,
/// random rotation in ±<see cref="MaxRotationDegrees"/>, centre crop to <see cref="Width"/> × <see cref="Height"/>
/// (depth then resized to <see cref="DepthWidth"/> × <see cref="DepthHeight"/>), PCA lighting and colour jitter on
/// RGB only, ImageNet normalisation. Eval (<see cref="ApplyEval"/>): scale and centre crop only, depth at the crop
/// size, as the official test transform.
/// </summary>
/// <remarks>
/// <para>Geometry. Scale, flip, rotation, crop and the depth resize are composed into one affine map and each
/// output pixel is sampled once through its inverse (no intermediate images, no allocation). RGB is sampled
/// bilinearly and depth by nearest neighbour, so a depth output is always one of the input depths or 0; the
/// official code rotates both with scipy order-2 splines, which invents depths at edges. Points that fall outside
/// the source (rotated corners, or a crop larger than the scaled image) are black RGB and depth 0, like scipy's
/// cval = 0; treat depth ≤ 0 as "no data". Scaled size follows the old torchvision <c>Scale</c>: the shorter side
/// becomes S and the longer int(S · long / short). The crop offset is round((scaled − crop) / 2), half to even.
/// The rotation turns about the scaled image's centre; a positive angle turns the content clockwise on screen
/// (y down), which does not matter for a symmetric angle. The depth map must cover the same view as the RGB image;
/// its resolution may differ (it is addressed in normalised coordinates).</para>
/// <para>Downscaling by the composed map is point sampling: for an input much larger than twice the scaled size,
/// resize it first (for example to the scaled size, with <c>ScaleShorterSide</c> then giving scale 1) to avoid
/// aliasing. NYUD2's 640 × 480 → 320 × 240 lands bilinear taps exactly between pixels, a 2 × 2 box filter.</para>
/// <para>Colour, on RGB in [0, 1] after the geometry: first PCA lighting, rgb_c += Σ_j eigvec[c][j] · α_j ·
/// eigval[j] with α_j ~ N(0, <see cref="LightingStd"/>); then brightness, contrast and saturation in random order,
/// each img = f · img + (1 − f) · target with f = 1 + U(−<see cref="Jitter"/>, <see cref="Jitter"/>) and target
/// black, the mean grey (0.299 R + 0.587 G + 0.114 B) of the image, or the pixel's grey. (The official
/// <c>img.lerp(target, a)</c> with a ~ U(−0.4, 0.4) is the same distribution.) Values are not clamped, as in the
/// official code.</para>
/// <para>Random draws, in order: flip (NextDouble() &lt; 0.5), angle (uniform), three lighting α (Box–Muller, two
/// NextDouble each), the jitter order (Fisher–Yates, two Next), then one NextDouble per jitter step as applied.
/// For determinism per (seed, epoch, sample) use <see cref="RandomFor"/>.</para>
/// </remarks>
public sealed class DepthAugmenter
{
    /// <summary>ImageNet channel means (R, G, B), in units of x / 255.</summary>
    public static readonly IReadOnlyList<float> ImageNetMean = [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet channel standard deviations (R, G, B).</summary>
    public static readonly IReadOnlyList<float> ImageNetStd = [0.229f, 0.224f, 0.225f];

    private const int Channels = 3;

    private static readonly double[] EigVal = [0.2175, 0.0188, 0.0045];

    // Row c is eigvec[c][0..2].
    private static readonly double[] EigVec =
    [
        -0.5675, 0.7192, 0.4009,
        -0.5808, -0.0045, -0.8140,
        -0.5836, -0.6948, 0.4203,
    ];

    /// <param name="width">RGB output width (NYUD2: 304).</param>
    /// <param name="height">RGB output height (NYUD2: 228).</param>
    /// <param name="depthWidth">Training depth output width (NYUD2: 152).</param>
    /// <param name="depthHeight">Training depth output height (NYUD2: 114).</param>
    /// <param name="scaleShorterSide">The shorter side after scaling (NYUD2: 240).</param>
    /// <param name="maxRotationDegrees">Largest rotation either way, in [0, 180) (NYUD2: 5).</param>
    /// <param name="jitter">Brightness/contrast/saturation strength, in [0, 1] (NYUD2: 0.4).</param>
    /// <param name="lightingStd">Standard deviation of the PCA lighting α, ≥ 0 (NYUD2: 0.1).</param>
    public DepthAugmenter(
        int width, int height, int depthWidth, int depthHeight, int scaleShorterSide,
        double maxRotationDegrees = 5, double jitter = 0.4, double lightingStd = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(depthWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(depthHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(scaleShorterSide, 1);
        if (!(maxRotationDegrees >= 0 && maxRotationDegrees < 180))
            throw new ArgumentOutOfRangeException(nameof(maxRotationDegrees), maxRotationDegrees, "The rotation must be in [0, 180) degrees.");
        if (!(jitter >= 0 && jitter <= 1)) throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "The jitter must be in [0, 1].");
        if (!(lightingStd >= 0) || !double.IsFinite(lightingStd))
            throw new ArgumentOutOfRangeException(nameof(lightingStd), lightingStd, "The lighting deviation must be finite and non-negative.");
        Width = width;
        Height = height;
        DepthWidth = depthWidth;
        DepthHeight = depthHeight;
        ScaleShorterSide = scaleShorterSide;
        MaxRotationDegrees = maxRotationDegrees;
        Jitter = jitter;
        LightingStd = lightingStd;
    }

    public int Width { get; }

    public int Height { get; }

    public int DepthWidth { get; }

    public int DepthHeight { get; }

    public int ScaleShorterSide { get; }

    public double MaxRotationDegrees { get; }

    public double Jitter { get; }

    public double LightingStd { get; }

    /// <summary>Gets the length of the RGB output, 3 · Height · Width (CHW).</summary>
    public int RgbLength => Channels * Width * Height;

    /// <summary>Gets the length of the training depth output, DepthHeight · DepthWidth.</summary>
    public int DepthLength => DepthWidth * DepthHeight;

    /// <summary>Gets the length of the eval depth output, Height · Width (the crop, as the official test transform).</summary>
    public int EvalDepthLength => Width * Height;

    /// <summary>The official NYUD2-DIR sizes: scale to 240, crop 304 × 228, training depth 152 × 114.</summary>
    public static DepthAugmenter Nyud2() => new(304, 228, 152, 114, 240);

    /// <summary>
    /// The generator for sample <paramref name="index"/> in <paramref name="epoch"/>, seeded through
    /// <see cref="SeedMix"/> as the age batches are, so the augmentation depends only on (seed, epoch, index).
    /// </summary>
    public static Random RandomFor(int seed, int epoch, int index) => new(SeedMix.Mix(seed, epoch, index, 0));

    /// <summary>The training transform.</summary>
    /// <param name="rgbHwc">[h, w, 3] RGB bytes.</param>
    /// <param name="w">RGB width.</param>
    /// <param name="h">RGB height.</param>
    /// <param name="depth">[dh, dw] depth in metres, covering the same view.</param>
    /// <param name="dw">Depth width.</param>
    /// <param name="dh">Depth height.</param>
    /// <param name="rng">The source of every random choice (see the remarks for the order of draws).</param>
    /// <param name="rgbChwOut">[3, Height, Width] normalised floats; length <see cref="RgbLength"/>.</param>
    /// <param name="depthOut">[DepthHeight, DepthWidth] metres; length <see cref="DepthLength"/>.</param>
    public void Apply(
        ReadOnlySpan<byte> rgbHwc, int w, int h, ReadOnlySpan<float> depth, int dw, int dh, Random rng,
        Span<float> rgbChwOut, Span<float> depthOut)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Check(rgbHwc, w, h, depth, dw, dh, rgbChwOut, depthOut, DepthLength, nameof(depthOut));
        bool flip = rng.NextDouble() < 0.5;
        double angle = ((rng.NextDouble() * 2) - 1) * MaxRotationDegrees * Math.PI / 180;
        var map = Geometry(w, h, flip, angle);

        SampleRgb(rgbHwc, w, h, map, rgbChwOut);
        SampleDepth(depth, dw, dh, map, DepthWidth, DepthHeight, depthOut);
        int plane = Width * Height;
        Lighting(rng, rgbChwOut, plane);
        ColorJitter(rng, rgbChwOut, plane);
        Normalize(rgbChwOut, plane);
    }

    /// <summary>The eval transform: scale and centre crop; deterministic.</summary>
    /// <param name="rgbHwc">[h, w, 3] RGB bytes.</param>
    /// <param name="w">RGB width.</param>
    /// <param name="h">RGB height.</param>
    /// <param name="depth">[dh, dw] depth in metres.</param>
    /// <param name="dw">Depth width.</param>
    /// <param name="dh">Depth height.</param>
    /// <param name="rgbChwOut">[3, Height, Width] normalised floats; length <see cref="RgbLength"/>.</param>
    /// <param name="depthOut">[Height, Width] metres; length <see cref="EvalDepthLength"/>.</param>
    public void ApplyEval(
        ReadOnlySpan<byte> rgbHwc, int w, int h, ReadOnlySpan<float> depth, int dw, int dh,
        Span<float> rgbChwOut, Span<float> depthOut)
    {
        Check(rgbHwc, w, h, depth, dw, dh, rgbChwOut, depthOut, EvalDepthLength, nameof(depthOut));
        var map = Geometry(w, h, flip: false, angle: 0);
        SampleRgb(rgbHwc, w, h, map, rgbChwOut);
        SampleDepth(depth, dw, dh, map, Width, Height, depthOut);
        Normalize(rgbChwOut, Width * Height);
    }

    /// <summary>Size after the Scale step for a w × h input (old torchvision <c>Scale(S)</c>).</summary>
    public (int Width, int Height) ScaledSize(int w, int h)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(w, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(h, 1);
        return w < h
            ? (ScaleShorterSide, (int)((double)ScaleShorterSide * h / w))
            : ((int)((double)ScaleShorterSide * w / h), ScaleShorterSide);
    }

    private void Check(
        ReadOnlySpan<byte> rgbHwc, int w, int h, ReadOnlySpan<float> depth, int dw, int dh,
        Span<float> rgbChwOut, Span<float> depthOut, int depthLength, string depthOutName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(w, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(h, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dw, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dh, 1);
        if (rgbHwc.Length != (long)w * h * Channels)
            throw new ArgumentException($"Expected {(long)w * h * Channels} RGB bytes for {w}x{h}, got {rgbHwc.Length}.", nameof(rgbHwc));
        if (depth.Length != (long)dw * dh)
            throw new ArgumentException($"Expected {(long)dw * dh} depth values for {dw}x{dh}, got {depth.Length}.", nameof(depth));
        if (rgbChwOut.Length != RgbLength)
            throw new ArgumentException($"The RGB output holds {rgbChwOut.Length} floats; {Width}x{Height} needs {RgbLength}.", nameof(rgbChwOut));
        if (depthOut.Length != depthLength)
            throw new ArgumentException($"The depth output holds {depthOut.Length} floats; {depthLength} are needed.", depthOutName);
    }

    // Maps crop coordinates (continuous, in scaled-image pixels, origin at the crop's top-left corner) to
    // normalised source coordinates u, v in [0, 1): undo the crop offset, the rotation and the flip, then divide
    // by the scaled size.
    private Affine Geometry(int w, int h, bool flip, double angle)
    {
        var (sw, sh) = ScaledSize(w, h);
        double offX = Math.Round((sw - Width) / 2.0, MidpointRounding.ToEven);
        double offY = Math.Round((sh - Height) / 2.0, MidpointRounding.ToEven);
        double cx = sw / 2.0, cy = sh / 2.0;
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        double ex = offX - cx, ey = offY - cy;
        // Inverse rotation: r = c + R(−angle)(q − c), q = crop point + offset.
        double rx0 = cx + (cos * ex) + (sin * ey), rxX = cos, rxY = sin;
        double ry0 = cy - (sin * ex) + (cos * ey), ryX = -sin, ryY = cos;
        if (flip)
        {
            rx0 = sw - rx0;
            rxX = -rxX;
            rxY = -rxY;
        }
        return new Affine(rx0 / sw, rxX / sw, rxY / sw, ry0 / sh, ryX / sh, ryY / sh);
    }

    // Bilinear RGB into [0, 1] CHW; neighbours clamp at the border, points outside the source are black.
    private void SampleRgb(ReadOnlySpan<byte> rgb, int w, int h, Affine map, Span<float> chw)
    {
        int plane = Width * Height;
        for (int y = 0; y < Height; y++)
        {
            double cy = y + 0.5;
            for (int x = 0; x < Width; x++)
            {
                double cx = x + 0.5;
                double sx = (map.U(cx, cy) * w) - 0.5;
                double sy = (map.V(cx, cy) * h) - 0.5;
                int o = (y * Width) + x;
                if (!(sx >= -0.5 && sx < w - 0.5 && sy >= -0.5 && sy < h - 0.5))
                {
                    chw[o] = 0;
                    chw[plane + o] = 0;
                    chw[(2 * plane) + o] = 0;
                    continue;
                }
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                double fx = sx - x0, fy = sy - y0;
                int xa = Math.Clamp(x0, 0, w - 1), xb = Math.Clamp(x0 + 1, 0, w - 1);
                int ya = Math.Clamp(y0, 0, h - 1), yb = Math.Clamp(y0 + 1, 0, h - 1);
                int p00 = ((ya * w) + xa) * Channels, p01 = ((ya * w) + xb) * Channels;
                int p10 = ((yb * w) + xa) * Channels, p11 = ((yb * w) + xb) * Channels;
                double w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
                for (int c = 0; c < Channels; c++)
                {
                    double v = (w00 * rgb[p00 + c]) + (w01 * rgb[p01 + c]) + (w10 * rgb[p10 + c]) + (w11 * rgb[p11 + c]);
                    chw[(c * plane) + o] = (float)(v / 255.0);
                }
            }
        }
    }

    // Nearest-neighbour depth; output pixel (x, y) of an outW × outH grid covers the crop's
    // [x · Width / outW, (x + 1) · Width / outW) (same vertically). Points outside the source are 0.
    private void SampleDepth(ReadOnlySpan<float> depth, int dw, int dh, Affine map, int outW, int outH, Span<float> output)
    {
        double stepX = (double)Width / outW, stepY = (double)Height / outH;
        for (int y = 0; y < outH; y++)
        {
            double cy = (y + 0.5) * stepY;
            for (int x = 0; x < outW; x++)
            {
                double cx = (x + 0.5) * stepX;
                double sx = Math.Floor(map.U(cx, cy) * dw);
                double sy = Math.Floor(map.V(cx, cy) * dh);
                output[(y * outW) + x] = sx >= 0 && sx < dw && sy >= 0 && sy < dh ? depth[((int)sy * dw) + (int)sx] : 0f;
            }
        }
    }

    private void Lighting(Random rng, Span<float> chw, int plane)
    {
        Span<double> alpha = stackalloc double[Channels];
        for (int j = 0; j < Channels; j++) alpha[j] = Gaussian(rng) * LightingStd;
        for (int c = 0; c < Channels; c++)
        {
            double shift = 0;
            for (int j = 0; j < Channels; j++) shift += EigVec[(c * Channels) + j] * alpha[j] * EigVal[j];
            if (shift == 0) continue;
            var channel = chw.Slice(c * plane, plane);
            float add = (float)shift;
            for (int i = 0; i < channel.Length; i++) channel[i] += add;
        }
    }

    private void ColorJitter(Random rng, Span<float> chw, int plane)
    {
        Span<int> order = [0, 1, 2];
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var r = chw[..plane];
        var g = chw.Slice(plane, plane);
        var b = chw.Slice(2 * plane, plane);
        foreach (int step in order)
        {
            float f = (float)(1 + (((rng.NextDouble() * 2) - 1) * Jitter));
            float keep = 1 - f;
            switch (step)
            {
                case 0: // brightness: towards black
                    for (int i = 0; i < plane; i++)
                    {
                        r[i] *= f;
                        g[i] *= f;
                        b[i] *= f;
                    }
                    break;
                case 1: // contrast: towards the image's mean grey
                    double sum = 0;
                    for (int i = 0; i < plane; i++) sum += Grey(r[i], g[i], b[i]);
                    float mean = (float)(sum / plane) * keep;
                    for (int i = 0; i < plane; i++)
                    {
                        r[i] = (f * r[i]) + mean;
                        g[i] = (f * g[i]) + mean;
                        b[i] = (f * b[i]) + mean;
                    }
                    break;
                default: // saturation: towards the pixel's grey
                    for (int i = 0; i < plane; i++)
                    {
                        float grey = Grey(r[i], g[i], b[i]) * keep;
                        r[i] = (f * r[i]) + grey;
                        g[i] = (f * g[i]) + grey;
                        b[i] = (f * b[i]) + grey;
                    }
                    break;
            }
        }
    }

    private static float Grey(float r, float g, float b) => (0.299f * r) + (0.587f * g) + (0.114f * b);

    private static void Normalize(Span<float> chw, int plane)
    {
        for (int c = 0; c < Channels; c++)
        {
            float mean = ImageNetMean[c], std = ImageNetStd[c];
            var channel = chw.Slice(c * plane, plane);
            for (int i = 0; i < channel.Length; i++) channel[i] = (channel[i] - mean) / std;
        }
    }

    // Standard normal by Box–Muller (1 − u keeps the logarithm finite).
    private static double Gaussian(Random rng)
    {
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private readonly record struct Affine(double U0, double Ux, double Uy, double V0, double Vx, double Vy)
    {
        public double U(double x, double y) => U0 + (Ux * x) + (Uy * y);

        public double V(double x, double y) => V0 + (Vx * x) + (Vy * y);
    }
}
