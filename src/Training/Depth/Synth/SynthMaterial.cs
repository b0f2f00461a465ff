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

    public static SynthMaterial Solid(V3 color) => new(SynthPattern.Solid, color, color, 1, 0, 0);
}

// Procedural textures, evaluated per hit in surface coordinates (u, v) in metres, so the colour of a surface never
// depends on how far it is from the camera; details finer than the pixel footprint fade to their mean (no aliasing).
internal static class SynthTexture
{
    public static V3 Albedo(in SynthMaterial m, double u, double v, double footprint)
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

            default:
                return m.ColorA;
        }
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
