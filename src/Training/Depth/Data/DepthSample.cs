namespace ConR.Training.Depth.Data;

/// <summary>One row of an NYUD2-DIR split file: an RGB image and its depth map.</summary>
/// <param name="RgbPath">Full path of the RGB image, resolved against the data directory.</param>
/// <param name="DepthPath">Full path of the depth PNG.</param>
/// <param name="Line">1-based line of the row in the CSV, for error messages.</param>
public sealed record DepthSample(string RgbPath, string DepthPath, int Line);
