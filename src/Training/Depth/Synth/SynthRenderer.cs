namespace ConR.Training.Depth.Synth;

// The ray caster: one primary ray per pixel against the room shell and the furniture (bounds first), Lambert shading
// from a directional light with a shadow ray, hemispherical ambient, and gamma. Nothing is allocated per ray.
internal static class SynthRenderer
{
    public const float MaxDepth = 10f;
    private const double ShadowOffset = 1e-4;
    private const double Gamma = 1 / 2.2;

    // Gamma encoding through a table indexed by sqrt(linear) (fine steps in the darks): 255·linear^(1/2.2).
    private const int GammaSteps = 4096;
    private const double GammaMaxSqrt = 1.25; // linear radiance up to 1.5625; brighter clips to white anyway
    private static readonly double[] GammaTable = BuildGammaTable();

    /// <summary>Renders RGB (HWC bytes) and z-depth (metres, clipped to (0, 10]) of a scene.</summary>
    public static void Render(SynthSceneDescription scene, int width, int height, Span<byte> rgb, Span<float> depth)
    {
        ArgumentNullException.ThrowIfNull(scene);
        if (rgb.Length != width * height * 3) throw new ArgumentException("RGB buffer must be width·height·3 bytes.", nameof(rgb));
        if (depth.Length != width * height) throw new ArgumentException("Depth buffer must be width·height floats.", nameof(depth));

        var camera = scene.Camera;
        var origin = camera.Position;
        var light = scene.LightDirection;
        var invLight = new V3(1 / light.X, 1 / light.Y, 1 / light.Z);
        double pixelSize = 2 * camera.TanHalfFov / width;
        var primitives = scene.Primitives;
        var objects = scene.Objects;
        var materials = scene.Materials;

        for (int py = 0; py < height; py++)
        {
            for (int px = 0; px < width; px++)
            {
                var d = camera.Ray(px, py, width, height);
                var invD = new V3(1 / d.X, 1 / d.Y, 1 / d.Z);
                double tBest = ShellHit(scene, origin, d, out int face);
                int hit = -1;
                for (int k = 0; k < objects.Length; k++)
                {
                    ref readonly var obj = ref objects[k];
                    if (!obj.Hit(origin, invD, tBest)) continue;
                    int end = obj.First + obj.Count;
                    for (int i = obj.First; i < end; i++)
                    {
                        double t = primitives[i].Intersect(origin, d, tBest);
                        if (t < tBest)
                        {
                            tBest = t;
                            hit = i;
                        }
                    }
                }

                var p = origin + (d * tBest);
                V3 normal;
                double u;
                double v;
                int material;
                double ao = 1;
                if (hit < 0)
                {
                    ShellSurface(scene, face, p, out normal, out u, out v);
                    material = ShellMaterial(scene, face, u, v);
                    if (scene.CornerShading) ao = ShellOcclusion(scene, face, p);
                }
                else
                {
                    primitives[hit].Surface(p, out normal, out u, out v);
                    material = primitives[hit].Material;
                }

                double dLength = d.Length;
                double cosIncidence = -V3.Dot(normal, d) / dLength;
                if (cosIncidence < 0)
                {
                    normal = -normal;
                    cosIncidence = -cosIncidence;
                }

                double footprint = tBest * pixelSize / Math.Max(cosIncidence, 0.2);
                ref readonly var m = ref materials[material];
                var albedo = SynthTexture.Albedo(m, u, v, footprint);

                double direct = V3.Dot(normal, light);
                if (direct > 0 && Occluded(objects, primitives, p + (normal * ShadowOffset), light, invLight)) direct = 0;
                else if (direct < 0) direct = 0;

                double hemi = 0.85 + (0.15 * normal.Y);
                var radiance = albedo * ((scene.AmbientColor * (hemi * ao)) + (scene.LightColor * direct) + new V3(m.Emission, m.Emission, m.Emission));
                // Both are off in the first generator, whose pixels must stay bit for bit as they were.
                if (scene.PointLights.Length > 0) radiance += albedo * PointLighting(scene.PointLights, objects, primitives, p, normal);
                if (scene.Exposure != 1) radiance *= scene.Exposure;

                int o = ((py * width) + px) * 3;
                double noise = scene.SensorNoise ? (SynthNoise.Hash01(px, py, scene.NoiseSeed) - 0.5) * 3.0 : 0;
                rgb[o] = ToByte(radiance.X, noise);
                rgb[o + 1] = ToByte(radiance.Y, noise);
                rgb[o + 2] = ToByte(radiance.Z, noise);
                depth[(py * width) + px] = (float)Math.Min(tBest, MaxDepth);
            }
        }
    }

    /// <summary>Whether any furniture blocks the ray from <paramref name="from"/> towards the light.</summary>
    private static bool Occluded(SynthObject[] objects, SynthPrimitive[] primitives, V3 from, V3 dir, V3 invDir)
    {
        for (int k = 0; k < objects.Length; k++)
        {
            ref readonly var obj = ref objects[k];
            if (!obj.Hit(from, invDir, double.PositiveInfinity)) continue;
            int end = obj.First + obj.Count;
            for (int i = obj.First; i < end; i++)
            {
                if (primitives[i].Intersect(from, dir, double.PositiveInfinity) < double.PositiveInfinity) return true;
            }
        }

        return false;
    }

    // Lambert from each lamp with inverse-square falloff; the room is convex, so only furniture can shadow a lamp.
    private static V3 PointLighting(SynthPointLight[] lights, SynthObject[] objects, SynthPrimitive[] primitives, V3 p, V3 normal)
    {
        var sum = V3.Zero;
        var from = p + (normal * ShadowOffset);
        foreach (var light in lights)
        {
            var toLight = light.Position - p;
            double distance = toLight.Length;
            if (!(distance > 1e-6)) continue;
            var dir = toLight * (1 / distance);
            double cos = V3.Dot(normal, dir);
            if (cos <= 0) continue;
            var invDir = new V3(1 / dir.X, 1 / dir.Y, 1 / dir.Z);
            if (OccludedBefore(objects, primitives, from, dir, invDir, distance, light.Object)) continue;
            sum += light.Color * (cos / (distance * distance));
        }

        return sum;
    }

    /// <summary>Whether any furniture but object <paramref name="ignore"/> blocks the ray from <paramref name="from"/> before <paramref name="tMax"/>.</summary>
    private static bool OccludedBefore(SynthObject[] objects, SynthPrimitive[] primitives, V3 from, V3 dir, V3 invDir, double tMax, int ignore)
    {
        for (int k = 0; k < objects.Length; k++)
        {
            if (k == ignore) continue;
            ref readonly var obj = ref objects[k];
            if (!obj.Hit(from, invDir, tMax)) continue;
            int end = obj.First + obj.Count;
            for (int i = obj.First; i < end; i++)
            {
                if (primitives[i].Intersect(from, dir, tMax) < tMax) return true;
            }
        }

        return false;
    }

    // The camera is inside the room, so exactly one face is hit: the nearest exit plane.
    private static double ShellHit(SynthSceneDescription s, V3 o, V3 d, out int face)
    {
        double best = double.PositiveInfinity;
        face = 2;
        if (d.X != 0)
        {
            best = ((d.X > 0 ? s.Width : 0) - o.X) / d.X;
            face = d.X > 0 ? 1 : 0;
        }

        if (d.Y != 0)
        {
            double t = ((d.Y > 0 ? s.Height : 0) - o.Y) / d.Y;
            if (t < best)
            {
                best = t;
                face = d.Y > 0 ? 3 : 2;
            }
        }

        if (d.Z != 0)
        {
            double t = ((d.Z > 0 ? s.Depth : 0) - o.Z) / d.Z;
            if (t < best)
            {
                best = t;
                face = d.Z > 0 ? 5 : 4;
            }
        }

        return best;
    }

    private static void ShellSurface(SynthSceneDescription s, int face, V3 p, out V3 normal, out double u, out double v)
    {
        switch (face)
        {
            case 0:
            case 1:
                normal = new V3(face == 0 ? 1 : -1, 0, 0);
                u = p.Z;
                v = p.Y;
                break;
            case 2:
            case 3:
                normal = new V3(0, face == 2 ? 1 : -1, 0);
                u = p.X;
                v = p.Z;
                break;
            default:
                normal = new V3(0, 0, face == 4 ? 1 : -1);
                u = p.X;
                v = p.Y;
                break;
        }
    }

    private static int ShellMaterial(SynthSceneDescription s, int face, double u, double v)
    {
        int material = s.FaceMaterials[face];
        var decals = s.Decals;
        for (int i = 0; i < decals.Length; i++)
        {
            ref readonly var dc = ref decals[i];
            if (dc.Face == face && u >= dc.U0 && u <= dc.U1 && v >= dc.V0 && v <= dc.V1) material = dc.Material;
        }

        return material;
    }

    // Darkens the room's edges and corners a little, as indirect light does.
    private static double ShellOcclusion(SynthSceneDescription s, int face, V3 p)
    {
        double dx = Math.Min(p.X, s.Width - p.X);
        double dy = Math.Min(p.Y, s.Height - p.Y);
        double dz = Math.Min(p.Z, s.Depth - p.Z);
        double edge = face switch
        {
            0 or 1 => Math.Min(dy, dz),
            2 or 3 => Math.Min(dx, dz),
            _ => Math.Min(dx, dy),
        };
        return 1 - (0.3 * Math.Exp(-edge / 0.35));
    }

    private static byte ToByte(double linear, double noise)
    {
        if (!(linear > 0)) return 0;
        double x = Math.Sqrt(linear) * (GammaSteps / GammaMaxSqrt);
        if (x >= GammaSteps) return 255;
        int i = (int)x;
        double f = x - i;
        double c = GammaTable[i] + ((GammaTable[i + 1] - GammaTable[i]) * f) + noise;
        return c <= 0 ? (byte)0 : c >= 255 ? (byte)255 : (byte)(c + 0.5);
    }

    private static double[] BuildGammaTable()
    {
        var table = new double[GammaSteps + 1];
        for (int i = 0; i <= GammaSteps; i++)
        {
            double s = i * GammaMaxSqrt / GammaSteps;
            table[i] = Math.Pow(s * s, Gamma) * 255;
        }

        return table;
    }
}
