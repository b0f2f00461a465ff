namespace ConR.Training.Depth.Data;

/// <summary>How a depth PNG's values map to metres (docs/conr-digest.md §3.3).</summary>
public enum DepthEncoding
{
    /// <summary>8-bit, v · 10 / 255 m (0..10 m): the official NYUD2-DIR training maps.</summary>
    Nyu8BitTenMetres,

    /// <summary>16-bit, v / 1000 m (millimetres): the official test maps and the synthetic depth data.</summary>
    Millimetres16,

    /// <summary>From the file: a 16-bit PNG is <see cref="Millimetres16"/>, anything 8-bit is <see cref="Nyu8BitTenMetres"/>.</summary>
    Auto,
}
