namespace ConR.Shared.ModelPackage;

/// <summary>The task names and label units a <see cref="ModelCard"/> may declare.</summary>
public static class ModelTasks
{
    /// <summary>Age estimation from a face image; labels in <see cref="Years"/>.</summary>
    public const string Age = "age";

    /// <summary>Monocular depth estimation; labels in <see cref="Metres"/>.</summary>
    public const string Depth = "depth";

    /// <summary>Units of age labels.</summary>
    public const string Years = "years";

    /// <summary>Units of depth labels.</summary>
    public const string Metres = "metres";

    /// <summary>The units labels of <paramref name="task"/> must be in, or null for an unknown task.</summary>
    public static string? UnitsFor(string? task) => task switch
    {
        Age => Years,
        Depth => Metres,
        _ => null,
    };
}
