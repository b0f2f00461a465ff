using System.Runtime.CompilerServices;

namespace ConR.Training.Depth.Synth;

// A small double-precision vector for the ray caster: a value type, so rays and hits never allocate.
internal readonly struct V3
{
    public readonly double X;
    public readonly double Y;
    public readonly double Z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V3(double x, double y, double z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public static V3 Zero => default;

    public double Length => Math.Sqrt((X * X) + (Y * Y) + (Z * Z));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V3 operator +(V3 a, V3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V3 operator -(V3 a, V3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V3 operator -(V3 a) => new(-a.X, -a.Y, -a.Z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V3 operator *(V3 a, double s) => new(a.X * s, a.Y * s, a.Z * s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V3 operator *(double s, V3 a) => new(a.X * s, a.Y * s, a.Z * s);

    /// <summary>Component-wise product (colour times colour).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V3 operator *(V3 a, V3 b) => new(a.X * b.X, a.Y * b.Y, a.Z * b.Z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(V3 a, V3 b) => (a.X * b.X) + (a.Y * b.Y) + (a.Z * b.Z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V3 Cross(V3 a, V3 b) =>
        new((a.Y * b.Z) - (a.Z * b.Y), (a.Z * b.X) - (a.X * b.Z), (a.X * b.Y) - (a.Y * b.X));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V3 Lerp(V3 a, V3 b, double t) => new(a.X + ((b.X - a.X) * t), a.Y + ((b.Y - a.Y) * t), a.Z + ((b.Z - a.Z) * t));

    public V3 Normalized()
    {
        double len = Length;
        return len > 0 ? this * (1.0 / len) : this;
    }

    public override string ToString() => FormattableString.Invariant($"({X:0.###}, {Y:0.###}, {Z:0.###})");
}

// SplitMix64: a scene's random stream depends only on (seed, index), never on the thread that renders it.
internal sealed class SynthRng
{
    private ulong state;

    public SynthRng(int seed, int index)
    {
        ulong h = Mix(0x5D3C_A11E_D0E5_7A7FUL ^ (uint)seed);
        state = Mix(h ^ ((ulong)(uint)index << 1));
    }

    /// <summary>
    /// A stream of scene (seed, index) independent of the scene's main stream: realism options draw from their own, so
    /// turning one on leaves every draw of the main stream, and so the rest of the scene, as it was.
    /// </summary>
    public static SynthRng Substream(int seed, int index, uint stream)
    {
        var rng = new SynthRng(seed, index);
        rng.state = Mix(rng.state ^ (0xD1B5_4A32_D192_ED03UL * stream));
        return rng;
    }

    public ulong NextUInt64()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double Next() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Range(double min, double max) => min + ((max - min) * Next());

    /// <summary>Uniform in [0, n).</summary>
    public int Int(int n) => (int)((NextUInt64() >> 33) % (ulong)n);

    public bool Chance(double p) => Next() < p;

    public double Normal(double mean, double sd)
    {
        double u1 = 1.0 - Next();
        double u2 = Next();
        return mean + (sd * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    public double ClampedNormal(double mean, double sd, double min, double max) => Math.Clamp(Normal(mean, sd), min, max);

    public uint NextSeed() => (uint)(NextUInt64() >> 32);

    public static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}

// Hash-based value noise: a pure function of the coordinates and a seed, so textures are reproducible.
internal static class SynthNoise
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash(int x, int y, uint seed)
    {
        uint h = seed ^ ((uint)x * 0x8DA6B343u) ^ ((uint)y * 0xD8163841u);
        h ^= h >> 16;
        h *= 0x7FEB352Du;
        h ^= h >> 15;
        h *= 0x846CA68Bu;
        h ^= h >> 16;
        return h;
    }

    /// <summary>Hash of a lattice cell mapped to [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Hash01(int x, int y, uint seed) => Hash(x, y, seed) * (1.0 / 4294967296.0);

    /// <summary>2-D value noise in [0, 1) with smoothstep interpolation.</summary>
    public static double Value(double x, double y, uint seed)
    {
        double fx = Math.Floor(x);
        double fy = Math.Floor(y);
        int ix = (int)fx;
        int iy = (int)fy;
        double tx = x - fx;
        double ty = y - fy;
        tx = tx * tx * (3 - (2 * tx));
        ty = ty * ty * (3 - (2 * ty));
        double a = Hash01(ix, iy, seed);
        double b = Hash01(ix + 1, iy, seed);
        double c = Hash01(ix, iy + 1, seed);
        double d = Hash01(ix + 1, iy + 1, seed);
        double top = a + ((b - a) * tx);
        double bottom = c + ((d - c) * tx);
        return top + ((bottom - top) * ty);
    }

    /// <summary>Two octaves of <see cref="Value"/>, in [0, 1).</summary>
    public static double Fbm(double x, double y, uint seed) =>
        (0.667 * Value(x, y, seed)) + (0.333 * Value((x * 2.03) + 17.1, (y * 2.03) - 5.3, seed ^ 0x9E37u));

    /// <summary>
    /// Weight of a pattern detail of the given period at a pixel footprint (metres): 1 when the detail spans several
    /// pixels, 0 when it is below a pixel (so it is replaced by its mean colour instead of aliasing).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Detail(double period, double footprint) => Math.Clamp((period / (2.0 * footprint)) - 0.5, 0.0, 1.0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Frac(double x) => x - Math.Floor(x);
}
