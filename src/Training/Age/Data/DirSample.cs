namespace ConR.Training.Age.Data;

/// <summary>One row of a DIR split file.</summary>
/// <param name="Label">The regression target (age in years); finite and non-negative.</param>
/// <param name="Path">The image's full path, resolved against the data directory.</param>
/// <param name="Split">"train", "val" or "test".</param>
/// <param name="Line">1-based line of the row in the CSV, for error messages.</param>
public sealed record DirSample(float Label, string Path, string Split, int Line);
