namespace ConR.Training.Depth.Synth;

internal enum SynthPattern : byte
{
    /// <summary>One flat colour.</summary>
    Solid,

    /// <summary>Wall paint: A modulated by low-frequency noise and a fine grain.</summary>
    Paint,

    /// <summary>Wood grain: noisy stripes between A and B running along u.</summary>
    Wood,

    /// <summary>Wooden floor planks of width Scale along u, per-plank tint between A and B, dark seams.</summary>
    Planks,

    /// <summary>Square tiles of side Scale in colour A (per-tile tint) with grout colour B.</summary>
    Tiles,

    /// <summary>Square tiles of side Scale alternating A and B, with dark grout.</summary>
    Checker,

    /// <summary>Fabric or carpet: A with fine noise.</summary>
    Fabric,

    /// <summary>Wallpaper: stripes of period Scale along u alternating A and B.</summary>
    Stripes,

    /// <summary>Brick courses of height Scale (bricks 2.8 times as long, every other course offset by half), per-brick tint of A, mortar B.</summary>
    Brick,
}

// Surface appearance. Colours are linear RGB in [0, 1]; Scale is in metres or cycles per metre, by pattern.
internal readonly struct SynthMaterial
{
    public SynthMaterial(SynthPattern pattern, V3 colorA, V3 colorB, double scale, double noise, uint seed, double emission = 0)
    {
        Pattern = pattern;
        ColorA = colorA;
        ColorB = colorB;
        Scale = scale;
        Noise = noise;
        Seed = seed;
        Emission = emission;
    }

    public SynthPattern Pattern { get; }

    public V3 ColorA { get; }

    public V3 ColorB { get; }

    public double Scale { get; }

    public double Noise { get; }

    public uint Seed { get; }

    /// <summary>Light the surface gives off on its own, as a multiple of its albedo (windows, lamp shades).</summary>
    public double Emission { get; }

    /// <summary>Amplitude of low-frequency blotches (stains, wear) over the pattern; 0 in the first generator.</summary>
    public double Grime { get; init; }

    /// <summary>Amplitude of fine mottling (about 8 cm, so it survives at 128x96) over the pattern; 0 in the first generator.</summary>
    public double Grain { get; init; }

    public static SynthMaterial Solid(V3 color) => new(SynthPattern.Solid, color, color, 1, 0, 0);
}

// Procedural textures, evaluated per hit in surface coordinates (u, v) in metres, so the colour of a surface never
// depends on how far it is from the camera; details finer than the pixel footprint fade to their mean (no aliasing).
internal static class SynthTexture
{
    public static V3 Albedo(in SynthMaterial m, double u, double v, double footprint)
    {
        var albedo = PatternAlbedo(m, u, v, footprint);
        return m.Grime > 0 || m.Grain > 0 ? albedo * Weathering(m, u, v, footprint) : albedo;
    }

    // Grime: two octaves at about 0.7 m; grain: value noise at about 8 cm (a pixel spans 2.6 cm at 3 m at 128x96, so it
    // stays visible at the sizes we train at), faded below the pixel footprint like every detail.
    private static double Weathering(in SynthMaterial m, double u, double v, double footprint)
    {
        const double GrainFrequency = 12;
        double grime = SynthNoise.Fbm(u * 1.4, v * 1.4, m.Seed ^ 0x6B43u) - 0.5;
        double grain = (SynthNoise.Value(u * GrainFrequency, v * GrainFrequency, m.Seed ^ 0x2C1Bu) - 0.5) * SynthNoise.Detail(1.0 / GrainFrequency, footprint);
        return Math.Max(0.05, 1 + (2 * m.Grime * grime) + (2 * m.Grain * grain));
    }

    private static V3 PatternAlbedo(in SynthMaterial m, double u, double v, double footprint)
    {
        switch (m.Pattern)
        {
            case SynthPattern.Paint:
            {
                double low = SynthNoise.Fbm(u * m.Scale, v * m.Scale, m.Seed) - 0.5;
                double grain = (SynthNoise.Value(u * 45, v * 45, m.Seed ^ 0x51u) - 0.5) * SynthNoise.Detail(1.0 / 45, footprint);
                return m.ColorA * (1 + (2 * m.Noise * low) + (0.08 * grain));
            }

            case SynthPattern.Wood:
                return Wood(m.ColorA, m.ColorB, m.Scale, m.Seed, u, v, footprint);

            case SynthPattern.Planks:
            {
                double width = m.Scale;
                double pv = v / width;
                int plank = (int)Math.Floor(pv);
                const double JointLength = 1.3;
                double offset = SynthNoise.Hash01(plank, 7, m.Seed) * JointLength;
                double pu = (u + offset) / JointLength;
                int board = (int)Math.Floor(pu);
                double tint = SynthNoise.Hash01(plank, board, m.Seed ^ 0xA5u);
                var baseColor = V3.Lerp(m.ColorA, m.ColorB, tint);
                var grain = Wood(baseColor, baseColor * 0.78, 9, m.Seed + (uint)board, u, v, footprint);
                double fv = pv - plank;
                double fu = pu - board;
                double seam = (fv < 0.035 || fu < 0.006) ? 0.55 : 1.0;
                var detailed = grain * seam;
                var mean = V3.Lerp(m.ColorA, m.ColorB, 0.5) * 0.96;
                return V3.Lerp(mean, detailed, SynthNoise.Detail(width, footprint));
            }

            case SynthPattern.Tiles:
            case SynthPattern.Checker:
            {
                double size = m.Scale;
                double tu = u / size;
                double tv = v / size;
                int iu = (int)Math.Floor(tu);
                int iv = (int)Math.Floor(tv);
                double grout = 0.008 / size;
                bool inGrout = tu - iu < grout || tv - iv < grout;
                V3 tile;
                V3 groutColor;
                V3 mean;
                if (m.Pattern == SynthPattern.Checker)
                {
                    tile = ((iu + iv) & 1) == 0 ? m.ColorA : m.ColorB;
                    groutColor = V3.Lerp(m.ColorA, m.ColorB, 0.5) * 0.45;
                    mean = V3.Lerp(m.ColorA, m.ColorB, 0.5);
                }
                else
                {
                    double tint = 0.94 + (0.12 * SynthNoise.Hash01(iu, iv, m.Seed));
                    tile = m.ColorA * tint;
                    groutColor = m.ColorB;
                    mean = m.ColorA;
                }

                var speckle = tile * (1 + (m.Noise * (SynthNoise.Value(u * 30, v * 30, m.Seed ^ 0x77u) - 0.5) * SynthNoise.Detail(1.0 / 30, footprint)));
                var detailed = inGrout ? groutColor : speckle;
                double groutCoverage = 2 * grout;
                mean = V3.Lerp(mean, groutColor, groutCoverage);
                return V3.Lerp(mean, detailed, SynthNoise.Detail(size, footprint));
            }

            case SynthPattern.Fabric:
            {
                double low = SynthNoise.Value(u * 3, v * 3, m.Seed) - 0.5;
                double fine = (SynthNoise.Value(u * 60, v * 60, m.Seed ^ 0x33u) - 0.5) * SynthNoise.Detail(1.0 / 60, footprint);
                return m.ColorA * (1 + (m.Noise * low) + (0.25 * fine));
            }

            case SynthPattern.Stripes:
            {
                double s = SynthNoise.Frac(u / m.Scale);
                var detailed = s < 0.5 ? m.ColorA : m.ColorB;
                var mean = V3.Lerp(m.ColorA, m.ColorB, 0.5);
                double paint = 1 + (m.Noise * (SynthNoise.Value(u * 2, v * 2, m.Seed) - 0.5));
                return V3.Lerp(mean, detailed, SynthNoise.Detail(m.Scale, footprint)) * paint;
            }

            case SynthPattern.Brick:
                return Brick(m, u, v, footprint);

            default:
                return m.ColorA;
        }
    }

    private static V3 Brick(in SynthMaterial m, double u, double v, double footprint)
    {
        const double Mortar = 0.011; // metres
        double course = m.Scale;
        double length = 2.8 * course;
        double tv = v / course;
        int row = (int)Math.Floor(tv);
        double tu = (u / length) + ((row & 1) == 0 ? 0 : 0.5);
        int column = (int)Math.Floor(tu);
        bool inMortar = tv - row < Mortar / course || tu - column < Mortar / length;
        double tint = 0.8 + (0.35 * SynthNoise.Hash01(column, row, m.Seed));
        var speckle = m.ColorA * tint * (1 + (m.Noise * (SynthNoise.Value(u * 25, v * 25, m.Seed ^ 0x1Fu) - 0.5) * SynthNoise.Detail(1.0 / 25, footprint)));
        var detailed = inMortar ? m.ColorB : speckle;
        double mortarCoverage = (Mortar / course) + (Mortar / length);
        var mean = V3.Lerp(m.ColorA * 0.975, m.ColorB, mortarCoverage);
        return V3.Lerp(mean, detailed, SynthNoise.Detail(course, footprint));
    }

    // Grain runs along u: stripes across v, warped by noise so they meander like growth rings.
    private static V3 Wood(V3 a, V3 b, double frequency, uint seed, double u, double v, double footprint)
    {
        double warp = SynthNoise.Value(u * 1.7, v * 5.0, seed);
        double s = (v * frequency) + (2.2 * warp);
        double ring = 0.5 + (0.5 * Math.Sin(2 * Math.PI * s));
        double mix = 0.5 + ((ring - 0.5) * SynthNoise.Detail(1.0 / frequency, footprint));
        return V3.Lerp(a, b, mix);
    }
}
