namespace ConR.Training.Depth.Synth;

// Everything needed to render one scene: a box room [0, Width] × [0, Height] × [0, Depth] (x right, y up, z ahead),
// furniture primitives, decals on the room faces, materials, a directional light and a camera.
// Room faces: 0 x = 0, 1 x = Width, 2 floor y = 0, 3 ceiling y = Height, 4 z = 0, 5 z = Depth.
internal sealed class SynthSceneDescription
{
    public const int FaceCount = 6;
    public const int Floor = 2;
    public const int Ceiling = 3;

    public required double Width { get; init; }

    public required double Height { get; init; }

    public required double Depth { get; init; }

    public required SynthCamera Camera { get; init; }

    public required SynthMaterial[] Materials { get; init; }

    /// <summary>Gets the material of each room face, indexed by face.</summary>
    public required int[] FaceMaterials { get; init; }

    public required SynthDecal[] Decals { get; init; }

    public required SynthPrimitive[] Primitives { get; init; }

    public required SynthObject[] Objects { get; init; }

    /// <summary>Gets the unit direction towards the directional light (sun or window).</summary>
    public required V3 LightDirection { get; init; }

    public required V3 LightColor { get; init; }

    public required V3 AmbientColor { get; init; }

    /// <summary>Gets a value indicating whether the room shell darkens its edges and corners (cheap ambient occlusion).</summary>
    public bool CornerShading { get; init; } = true;

    /// <summary>Gets a value indicating whether a little per-pixel sensor noise is added to the colour.</summary>
    public bool SensorNoise { get; init; } = true;

    public uint NoiseSeed { get; init; }

    /// <summary>Gets the point lights (lamps); none in the first generator.</summary>
    public SynthPointLight[] PointLights { get; init; } = [];

    /// <summary>Gets the factor on all radiance before gamma (a camera's exposure); 1 in the first generator.</summary>
    public double Exposure { get; init; } = 1;
}

// A lamp: radiance from it is Color · cos(incidence) / distance², with a shadow ray to it. The bulb sits inside its
// lamp (against the pole, under the shade), so the lamp's own object (Object; -1: none) casts no shadow from it.
internal readonly record struct SynthPointLight(V3 Position, V3 Color, int Object = -1);

// Collects materials, primitives (grouped into objects) and decals, then freezes them into a description.
internal sealed class SynthSceneBuilder
{
    private readonly List<SynthMaterial> materials = [];
    private readonly List<SynthPrimitive> primitives = [];
    private readonly List<SynthObject> objects = [];
    private readonly List<SynthDecal> decals = [];
    private int objectStart = -1;

    public int PrimitiveCount => primitives.Count;

    public int MaterialCount => materials.Count;

    /// <summary>Gets the number of finished objects: the index the object being built will get.</summary>
    public int ObjectCount => objects.Count;

    public SynthMaterial Material(int index) => materials[index];

    /// <summary>Replaces a material in place, so every surface that uses it changes with it (the texture realism pass).</summary>
    public void ReplaceMaterial(int index, SynthMaterial material) => materials[index] = material;

    public int AddMaterial(SynthMaterial material)
    {
        materials.Add(material);
        return materials.Count - 1;
    }

    public void AddDecal(int face, double u0, double u1, double v0, double v1, int material) =>
        decals.Add(new SynthDecal(face, Math.Min(u0, u1), Math.Max(u0, u1), Math.Min(v0, v1), Math.Max(v0, v1), material));

    public void BeginObject()
    {
        if (objectStart >= 0) throw new InvalidOperationException("EndObject was not called.");
        objectStart = primitives.Count;
    }

    public void EndObject()
    {
        if (objectStart < 0) throw new InvalidOperationException("BeginObject was not called.");
        int count = primitives.Count - objectStart;
        if (count > 0)
        {
            var (min, max) = primitives[objectStart].Bounds();
            for (int i = objectStart + 1; i < primitives.Count; i++)
            {
                var (a, b) = primitives[i].Bounds();
                min = new V3(Math.Min(min.X, a.X), Math.Min(min.Y, a.Y), Math.Min(min.Z, a.Z));
                max = new V3(Math.Max(max.X, b.X), Math.Max(max.Y, b.Y), Math.Max(max.Z, b.Z));
            }

            objects.Add(new SynthObject(min, max, objectStart, count));
        }

        objectStart = -1;
    }

    public void AddBox(V3 center, V3 half, double yaw, int material) => Add(new SynthPrimitive(SynthPrimitiveKind.Box, center, half, yaw, material));

    public void AddCylinder(V3 center, double radius, double halfHeight, int material) =>
        Add(new SynthPrimitive(SynthPrimitiveKind.Cylinder, center, new V3(radius, halfHeight, radius), 0, material));

    public void AddSphere(V3 center, double radius, int material) =>
        Add(new SynthPrimitive(SynthPrimitiveKind.Sphere, center, new V3(radius, radius, radius), 0, material));

    public SynthSceneDescription Build(
        double width, double height, double depth, SynthCamera camera, int[] faceMaterials, V3 lightDirection, V3 lightColor, V3 ambientColor,
        bool cornerShading = true, bool sensorNoise = true, uint noiseSeed = 0, SynthPointLight[]? pointLights = null, double exposure = 1)
    {
        if (objectStart >= 0) throw new InvalidOperationException("EndObject was not called.");
        if (faceMaterials.Length != SynthSceneDescription.FaceCount) throw new ArgumentException("One material per room face is needed.", nameof(faceMaterials));
        return new SynthSceneDescription
        {
            Width = width,
            Height = height,
            Depth = depth,
            Camera = camera,
            Materials = [.. materials],
            FaceMaterials = faceMaterials,
            Decals = [.. decals],
            Primitives = [.. primitives],
            Objects = [.. objects],
            LightDirection = lightDirection.Normalized(),
            LightColor = lightColor,
            AmbientColor = ambientColor,
            CornerShading = cornerShading,
            SensorNoise = sensorNoise,
            NoiseSeed = noiseSeed,
            PointLights = pointLights ?? [],
            Exposure = exposure,
        };
    }

    private void Add(SynthPrimitive primitive)
    {
        if (objectStart < 0) throw new InvalidOperationException("Primitives must be added between BeginObject and EndObject.");
        primitives.Add(primitive);
    }
}
