using System.Runtime.CompilerServices;

namespace ConR.Training.Depth.Synth;

internal enum SynthPrimitiveKind : byte
{
    /// <summary>A box rotated about the vertical axis by a yaw; Half holds the half extents.</summary>
    Box,

    /// <summary>A vertical cylinder; Half.X is the radius and Half.Y the half height.</summary>
    Cylinder,

    /// <summary>A sphere; Half.X is the radius.</summary>
    Sphere,
}

// One furniture part. Rays are cast against these in the part's own frame; no per-ray allocation.
internal readonly struct SynthPrimitive
{
    public const double Epsilon = 1e-7;

    public SynthPrimitive(SynthPrimitiveKind kind, V3 center, V3 half, double yaw, int material)
    {
        Kind = kind;
        Center = center;
        Half = half;
        Cos = Math.Cos(yaw);
        Sin = Math.Sin(yaw);
        Material = material;
    }

    public SynthPrimitiveKind Kind { get; }

    public V3 Center { get; }

    public V3 Half { get; }

    public double Cos { get; }

    public double Sin { get; }

    public int Material { get; }

    /// <summary>Gets the world-space axis-aligned bounds.</summary>
    public (V3 Min, V3 Max) Bounds()
    {
        V3 e = Kind switch
        {
            SynthPrimitiveKind.Box => new V3(
                (Math.Abs(Cos) * Half.X) + (Math.Abs(Sin) * Half.Z),
                Half.Y,
                (Math.Abs(Sin) * Half.X) + (Math.Abs(Cos) * Half.Z)),
            SynthPrimitiveKind.Cylinder => new V3(Half.X, Half.Y, Half.X),
            _ => new V3(Half.X, Half.X, Half.X),
        };
        return (Center - e, Center + e);
    }

    /// <summary>
    /// Nearest hit parameter t in (Epsilon, tMax) of the ray o + t·d (d need not be unit length), or +∞.
    /// </summary>
    public double Intersect(in V3 o, in V3 d, double tMax)
    {
        switch (Kind)
        {
            case SynthPrimitiveKind.Box:
            {
                double wx = o.X - Center.X;
                double wz = o.Z - Center.Z;
                double ox = (Cos * wx) - (Sin * wz);
                double oz = (Sin * wx) + (Cos * wz);
                double oy = o.Y - Center.Y;
                double dx = (Cos * d.X) - (Sin * d.Z);
                double dz = (Sin * d.X) + (Cos * d.Z);
                double tNear = Epsilon;
                double tFar = tMax;
                if (!Slab(ox, dx, Half.X, ref tNear, ref tFar)) return double.PositiveInfinity;
                if (!Slab(oy, d.Y, Half.Y, ref tNear, ref tFar)) return double.PositiveInfinity;
                if (!Slab(oz, dz, Half.Z, ref tNear, ref tFar)) return double.PositiveInfinity;
                return tNear > Epsilon ? tNear : double.PositiveInfinity;
            }

            case SynthPrimitiveKind.Cylinder:
            {
                double ox = o.X - Center.X;
                double oz = o.Z - Center.Z;
                double oy = o.Y - Center.Y;
                double r = Half.X;
                double hh = Half.Y;
                double best = double.PositiveInfinity;
                double a = (d.X * d.X) + (d.Z * d.Z);
                if (a > 1e-18)
                {
                    double b = (ox * d.X) + (oz * d.Z);
                    double c = (ox * ox) + (oz * oz) - (r * r);
                    double disc = (b * b) - (a * c);
                    if (disc < 0) return double.PositiveInfinity; // the ray misses the infinite cylinder, so the caps too
                    double t = (-b - Math.Sqrt(disc)) / a;
                    if (t > Epsilon && t < tMax && Math.Abs(oy + (t * d.Y)) <= hh) best = t;
                }

                if (Math.Abs(d.Y) > 1e-18)
                {
                    double capY = d.Y < 0 ? hh : -hh;
                    double t = (capY - oy) / d.Y;
                    if (t > Epsilon && t < tMax && t < best)
                    {
                        double px = ox + (t * d.X);
                        double pz = oz + (t * d.Z);
                        if ((px * px) + (pz * pz) <= r * r) best = t;
                    }
                }

                return best;
            }

            default:
            {
                double ox = o.X - Center.X;
                double oy = o.Y - Center.Y;
                double oz = o.Z - Center.Z;
                double r = Half.X;
                double a = V3.Dot(d, d);
                double b = (ox * d.X) + (oy * d.Y) + (oz * d.Z);
                double c = (ox * ox) + (oy * oy) + (oz * oz) - (r * r);
                double disc = (b * b) - (a * c);
                if (disc < 0) return double.PositiveInfinity;
                double t = (-b - Math.Sqrt(disc)) / a;
                return t > Epsilon && t < tMax ? t : double.PositiveInfinity;
            }
        }
    }

    /// <summary>World normal and texture coordinates (metres) at a point on the surface.</summary>
    public void Surface(in V3 p, out V3 normal, out double u, out double v)
    {
        double wx = p.X - Center.X;
        double wy = p.Y - Center.Y;
        double wz = p.Z - Center.Z;
        switch (Kind)
        {
            case SynthPrimitiveKind.Box:
            {
                double lx = (Cos * wx) - (Sin * wz);
                double lz = (Sin * wx) + (Cos * wz);
                double rx = Math.Abs(lx) / Half.X;
                double ry = Math.Abs(wy) / Half.Y;
                double rz = Math.Abs(lz) / Half.Z;
                double nx = 0;
                double ny = 0;
                double nz = 0;
                if (rx >= ry && rx >= rz)
                {
                    nx = Math.Sign(lx);
                    u = lz;
                    v = wy;
                }
                else if (ry >= rz)
                {
                    ny = Math.Sign(wy);
                    u = lx;
                    v = lz;
                }
                else
                {
                    nz = Math.Sign(lz);
                    u = lx;
                    v = wy;
                }

                // Local to world: x' = c·x + s·z, z' = −s·x + c·z.
                normal = new V3((Cos * nx) + (Sin * nz), ny, (-Sin * nx) + (Cos * nz));
                return;
            }

            case SynthPrimitiveKind.Cylinder:
            {
                double r = Half.X;
                double angle = Math.Atan2(wz, wx);
                if (Math.Abs(wy) >= Half.Y - 1e-6 && (wx * wx) + (wz * wz) < r * r * 0.9999)
                {
                    normal = new V3(0, Math.Sign(wy), 0);
                    u = wx;
                    v = wz;
                }
                else
                {
                    normal = new V3(wx / r, 0, wz / r);
                    u = angle * r;
                    v = wy;
                }

                return;
            }

            default:
            {
                double r = Half.X;
                normal = new V3(wx / r, wy / r, wz / r);
                u = Math.Atan2(wz, wx) * r;
                v = wy;
                return;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Slab(double o, double d, double half, ref double tNear, ref double tFar)
    {
        if (Math.Abs(d) < 1e-18) return o >= -half && o <= half;
        double inv = 1.0 / d;
        double t1 = (-half - o) * inv;
        double t2 = (half - o) * inv;
        if (t1 > t2) (t1, t2) = (t2, t1);
        if (t1 > tNear) tNear = t1;
        if (t2 < tFar) tFar = t2;
        return tNear <= tFar;
    }
}

// A group of primitives (one piece of furniture) with its bounds, so a ray that misses the bounds skips them all.
internal readonly struct SynthObject
{
    public SynthObject(V3 min, V3 max, int first, int count)
    {
        Min = min;
        Max = max;
        First = first;
        Count = count;
    }

    public V3 Min { get; }

    public V3 Max { get; }

    public int First { get; }

    public int Count { get; }

    /// <summary>Whether the ray o + t·d (inverse direction invD) enters the bounds before tMax.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Hit(in V3 o, in V3 invD, double tMax)
    {
        // Plain comparisons rather than Math.Min/Max (which pay for NaN and signed-zero rules) in the hottest loop.
        double t1 = (Min.X - o.X) * invD.X;
        double t2 = (Max.X - o.X) * invD.X;
        double tNear = t1 < t2 ? t1 : t2;
        double tFar = t1 < t2 ? t2 : t1;
        t1 = (Min.Y - o.Y) * invD.Y;
        t2 = (Max.Y - o.Y) * invD.Y;
        if (t1 > t2) (t1, t2) = (t2, t1);
        if (t1 > tNear) tNear = t1;
        if (t2 < tFar) tFar = t2;
        t1 = (Min.Z - o.Z) * invD.Z;
        t2 = (Max.Z - o.Z) * invD.Z;
        if (t1 > t2) (t1, t2) = (t2, t1);
        if (t1 > tNear) tNear = t1;
        if (t2 < tFar) tFar = t2;
        // NaN (a zero direction component on a slab boundary) fails these comparisons: the primitives decide then.
        return !(tFar < tNear) && !(tFar < 0) && !(tNear > tMax);
    }
}

// A flat rectangle painted on a room face (window, door, picture, rug, skirting): changes colour, not geometry.
internal readonly struct SynthDecal
{
    public SynthDecal(int face, double u0, double u1, double v0, double v1, int material)
    {
        Face = face;
        U0 = u0;
        U1 = u1;
        V0 = v0;
        V1 = v1;
        Material = material;
    }

    public int Face { get; }

    public double U0 { get; }

    public double U1 { get; }

    public double V0 { get; }

    public double V1 { get; }

    public int Material { get; }
}

// A pinhole camera. Rays are f + x·r + y·u with unit f ⟂ r ⟂ u, so the ray parameter t of a hit IS its z-depth.
internal readonly struct SynthCamera
{
    public SynthCamera(V3 position, double yaw, double pitch, double roll, double horizontalFovDegrees)
    {
        Position = position;
        Yaw = yaw;
        Pitch = pitch;
        Roll = roll;
        TanHalfFov = Math.Tan(horizontalFovDegrees * Math.PI / 360.0);
        double cy = Math.Cos(yaw);
        double sy = Math.Sin(yaw);
        double cp = Math.Cos(pitch);
        double sp = Math.Sin(pitch);
        Forward = new V3(sy * cp, sp, cy * cp);
        var right0 = new V3(cy, 0, -sy);
        var up0 = V3.Cross(Forward, right0);
        double cr = Math.Cos(roll);
        double sr = Math.Sin(roll);
        Right = (right0 * cr) + (up0 * sr);
        Up = (up0 * cr) - (right0 * sr);
    }

    public V3 Position { get; }

    public double Yaw { get; }

    public double Pitch { get; }

    public double Roll { get; }

    /// <summary>Gets tan of half the horizontal field of view; the vertical one follows from the aspect ratio.</summary>
    public double TanHalfFov { get; }

    public V3 Forward { get; }

    public V3 Right { get; }

    public V3 Up { get; }

    /// <summary>The ray direction through the centre of pixel (px, py); its component along Forward is exactly 1.</summary>
    public V3 Ray(double px, double py, int width, int height)
    {
        double tanV = TanHalfFov * height / width;
        double x = ((((px + 0.5) / width) * 2) - 1) * TanHalfFov;
        double y = (1 - (((py + 0.5) / height) * 2)) * tanV;
        return Forward + (Right * x) + (Up * y);
    }

    /// <summary>Projects a world point to continuous pixel coordinates; false when it is behind the camera.</summary>
    public bool TryProject(V3 world, int width, int height, out double px, out double py, out double zDepth)
    {
        var v = world - Position;
        zDepth = V3.Dot(v, Forward);
        px = py = double.NaN;
        if (zDepth <= 1e-9) return false;
        double tanV = TanHalfFov * height / width;
        double x = V3.Dot(v, Right) / zDepth / TanHalfFov;
        double y = V3.Dot(v, Up) / zDepth / tanV;
        px = (((x + 1) / 2) * width) - 0.5;
        py = (((1 - y) / 2) * height) - 0.5;
        return true;
    }
}
