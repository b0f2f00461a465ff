namespace ConR.Shared.ModelPackage;

/// <summary>What a task's calibration is fitted on, for the card's method and target sentences.</summary>
/// <param name="Samples">What one sample is, plural: "faces", "pixels".</param>
/// <param name="Unit">The label unit as written after a number: "years", "m".</param>
/// <param name="UnitAdjective">The unit in a compound such as "5-year range": "year", "m".</param>
/// <param name="WeightBinWidth">Width of the training-histogram bins the label-shift weights are read per, in label units.</param>
/// <param name="Detail">A task-specific sentence on what the samples are (e.g. which depth pixels), or null.</param>
/// <param name="FittedOn">
/// The name of the split the intervals are fitted on, as the method text calls it ("fitted on the 2331 val faces",
/// "p_val(y)"). Default "val", what exports fit on; e.g. "calibration" for a held-out calibration split that
/// <paramref name="Detail"/> then describes.
/// </param>
public sealed record CalibrationWording(string Samples, string Unit, string UnitAdjective, double WeightBinWidth, string? Detail = null, string FittedOn = "val")
{
    /// <summary>Age: faces, years, 1-year weight bins.</summary>
    public static CalibrationWording Age { get; } = new("faces", "years", "year", 1);
}
