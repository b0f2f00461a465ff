namespace ConR.Training.Depth.Synth;

/// <summary>One rendered SynthDepth scene.</summary>
public sealed class SynthScene
{
    public SynthScene(int width, int height, byte[] rgb, float[] depth)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        ArgumentNullException.ThrowIfNull(depth);
        if (rgb.Length != width * height * 3) throw new ArgumentException($"RGB must hold {width}·{height}·3 bytes, not {rgb.Length}.", nameof(rgb));
        if (depth.Length != width * height) throw new ArgumentException($"Depth must hold {width}·{height} values, not {depth.Length}.", nameof(depth));
        Width = width;
        Height = height;
        Rgb = rgb;
        Depth = depth;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Gets the colour image, 8-bit RGB, row-major HWC ([Height, Width, 3]).</summary>
    public byte[] Rgb { get; }

    /// <summary>Gets the z-depth along the camera axis in metres, row-major [Height, Width], every value in (0, 10].</summary>
    public float[] Depth { get; }
}
