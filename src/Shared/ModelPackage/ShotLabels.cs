using ConR.Shared.Metrics;

namespace ConR.Shared.ModelPackage;

/// <summary>Maps <see cref="Shot"/> to and from its model-card spelling: "many", "median", "few".</summary>
public static class ShotLabels
{
    /// <summary>"many".</summary>
    public const string Many = "many";

    /// <summary>"median".</summary>
    public const string Median = "median";

    /// <summary>"few".</summary>
    public const string Few = "few";

    /// <summary>The card spelling of <paramref name="shot"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined <see cref="Shot"/>.</exception>
    public static string ToLabel(Shot shot) => shot switch
    {
        Shot.Many => Many,
        Shot.Median => Median,
        Shot.Few => Few,
        _ => throw new ArgumentOutOfRangeException(nameof(shot), shot, "Unknown shot."),
    };

    /// <summary>Parses an exact, lower-case card spelling.</summary>
    public static bool TryParse(string? label, out Shot shot)
    {
        switch (label)
        {
            case Many:
                shot = Shot.Many;
                return true;
            case Median:
                shot = Shot.Median;
                return true;
            case Few:
                shot = Shot.Few;
                return true;
            default:
                shot = default;
                return false;
        }
    }

    /// <summary>Parses an exact, lower-case card spelling.</summary>
    /// <exception cref="ArgumentException">Not "many", "median" or "few".</exception>
    public static Shot Parse(string label) =>
        TryParse(label, out var shot)
            ? shot
            : throw new ArgumentException($"Shot must be '{Many}', '{Median}' or '{Few}' (got '{label}').", nameof(label));
}
