using System.Globalization;

namespace ConR.Training.Depth.Synth;

/// <summary>
/// What the generator adds to the first SynthDepth-DIR scenes. Everything off (<see cref="None"/>, the default) is the
/// first generator, byte for byte. Each option draws from a random stream of its own, derived from (seed, scene), and
/// the scene's main stream is drawn exactly as before, so a scene with one option on differs from the first
/// generator's scene only by what that option adds: the same room, furniture and camera path otherwise.
/// </summary>
public sealed record SynthRealism
{
    public const string TexturesName = "textures";
    public const string LightingName = "lighting";
    public const string ObjectsName = "objects";
    public const string CameraName = "camera";

    /// <summary>The first generator: no option on.</summary>
    public static SynthRealism None { get; } = new();

    /// <summary>
    /// The camera ranges <c>--realism camera</c> uses: from a low tripod to a raised hand (NYUD2 was filmed handheld
    /// around 1-1.5 m), and from looking well down at the floor to a little up.
    /// </summary>
    public static SynthRange WideCameraHeight { get; } = new(0.6, 2.1);

    /// <inheritdoc cref="WideCameraHeight"/>
    public static SynthRange WideCameraPitch { get; } = new(-30, 10);

    /// <summary>Every option on, with the wide camera ranges.</summary>
    public static SynthRealism All { get; } = new()
    {
        Textures = true, Lighting = true, Objects = true, CameraHeight = WideCameraHeight, CameraPitch = WideCameraPitch,
    };

    /// <summary>
    /// Surface detail: grime (low-frequency blotches) and grain (fine noise) on every non-emissive material, and
    /// brick or board cladding on some walls.
    /// </summary>
    public bool Textures { get; init; }

    /// <summary>
    /// Point lights with inverse-square falloff and shadows at the ceiling lamps and under the lamp shades, a sun
    /// dimmed from full to overcast, and an exposure that varies from scene to scene.
    /// </summary>
    public bool Lighting { get; init; }

    /// <summary>More and more varied things: stools, bins, folding screens, stacks of books, floor cushions, pendant lamps and more free-standing furniture.</summary>
    public bool Objects { get; init; }

    /// <summary>Camera height above the floor in metres, uniform (kept 0.15 m below the ceiling); null: the first generator's 1.0-1.8 m.</summary>
    public SynthRange? CameraHeight { get; init; }

    /// <summary>Camera pitch in degrees, uniform, negative looking down; null: the first generator's, about -10 +- 8 degrees.</summary>
    public SynthRange? CameraPitch { get; init; }

    /// <summary>Whether no option is on: the first generator.</summary>
    public bool IsNone => !Textures && !Lighting && !Objects && CameraHeight is null && CameraPitch is null;

    /// <summary>1: the first generator (no option on); 2: this generator with at least one option.</summary>
    public int GeneratorVersion => IsNone ? 1 : 2;

    /// <summary>The options on, by their <c>--realism</c> names (camera when either camera range is set).</summary>
    public IReadOnlyList<string> Names()
    {
        var names = new List<string>();
        if (Textures) names.Add(TexturesName);
        if (Lighting) names.Add(LightingName);
        if (Objects) names.Add(ObjectsName);
        if (CameraHeight is not null || CameraPitch is not null) names.Add(CameraName);
        return names;
    }

    /// <summary>
    /// Parses <c>none</c>, <c>all</c> or a comma-separated list of textures, lighting, objects, camera (camera: the
    /// wide ranges). Throws <see cref="FormatException"/> naming the choices.
    /// </summary>
    public static SynthRealism Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().ToLowerInvariant();
        if (trimmed == "none") return None;
        if (trimmed == "all") return All;
        var realism = None;
        foreach (var part in trimmed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            realism = part switch
            {
                TexturesName => realism with { Textures = true },
                LightingName => realism with { Lighting = true },
                ObjectsName => realism with { Objects = true },
                CameraName => realism with { CameraHeight = WideCameraHeight, CameraPitch = WideCameraPitch },
                _ => throw new FormatException($"Invalid realism '{part}': expected none, all, or a list of {TexturesName}, {LightingName}, {ObjectsName}, {CameraName}."),
            };
        }
        return realism;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when a camera range cannot be rendered.</summary>
    public void Validate()
    {
        if (CameraHeight is { } h && !(h.Min >= 0.2 && h.Max <= 2.4))
            throw new ArgumentOutOfRangeException(nameof(CameraHeight), h, "Camera heights must lie in [0.2, 2.4] m (the lowest ceiling is 2.4 m).");
        if (CameraPitch is { } p && !(p.Min >= -80 && p.Max <= 60))
            throw new ArgumentOutOfRangeException(nameof(CameraPitch), p, "Camera pitches must lie in [-80, 60] degrees.");
    }
}

/// <summary>A closed range [Min, Max] with Min &lt;= Max, written MIN:MAX.</summary>
public readonly record struct SynthRange
{
    public SynthRange(double min, double max)
    {
        if (!(double.IsFinite(min) && double.IsFinite(max) && min <= max))
            throw new ArgumentException($"A range needs finite MIN <= MAX (got {min}:{max}).");
        Min = min;
        Max = max;
    }

    public double Min { get; }

    public double Max { get; }

    /// <summary>Parses MIN:MAX (invariant culture); throws <see cref="FormatException"/>.</summary>
    public static SynthRange Parse(string text)
    {
        var parts = (text ?? string.Empty).Split(':');
        if (parts.Length != 2
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double min)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double max)
            || !(double.IsFinite(min) && double.IsFinite(max) && min <= max))
        {
            throw new FormatException($"Invalid range '{text}': expected MIN:MAX with MIN <= MAX, e.g. 0.6:2.1.");
        }
        return new SynthRange(min, max);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Min}:{Max}");
}
