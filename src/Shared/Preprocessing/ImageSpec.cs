namespace ConR.Shared.Preprocessing;

/// <summary>
/// The input contract of an image model: size and per-channel normalization.
/// </summary>
/// <remarks>
/// Pixels are resized to <see cref="Width"/> x <see cref="Height"/> with bilinear filtering
/// (ImageSharp's Triangle resampler) and no aspect preservation, as torchvision's <c>Resize((s, s))</c>
/// in the official age transform. Tensors are RGB, NCHW, float32, with value <c>(x / 255 - Mean[c]) / Std[c]</c>.
/// </remarks>
/// <param name="Width">Target width in pixels; positive.</param>
/// <param name="Height">Target height in pixels; positive.</param>
/// <param name="Mean">Per-channel mean in R, G, B order, in units of x / 255.</param>
/// <param name="Std">Per-channel standard deviation in R, G, B order; positive.</param>
public sealed record ImageSpec(int Width, int Height, float[] Mean, float[] Std)
{
    /// <summary>The number of channels (always 3: RGB).</summary>
    public const int Channels = 3;

    /// <summary>Gets the number of floats in one CHW image: 3 * Height * Width.</summary>
    public int TensorLength => Channels * Width * Height;

    /// <summary>
    /// The age models' spec: <paramref name="size"/> x <paramref name="size"/>, mean and std 0.5 per channel,
    /// so values lie in [-1, 1].
    /// </summary>
    /// <param name="size">Side length in pixels.</param>
    public static ImageSpec Age(int size)
    {
        var spec = new ImageSpec(size, size, [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]);
        spec.Validate();
        return spec;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when the spec cannot describe an image tensor.</summary>
    public void Validate()
    {
        if (Width <= 0 || Height <= 0)
            throw new ArgumentException($"Image size must be positive, got {Width}x{Height}.");
        if (Mean is null || Mean.Length != Channels || Std is null || Std.Length != Channels)
            throw new ArgumentException($"Mean and Std must have {Channels} entries (R, G, B).");
        for (int c = 0; c < Channels; c++)
        {
            if (!float.IsFinite(Mean[c]))
                throw new ArgumentException($"Mean[{c}] must be finite, got {Mean[c]}.");
            if (!float.IsFinite(Std[c]) || Std[c] <= 0)
                throw new ArgumentException($"Std[{c}] must be positive and finite, got {Std[c]}.");
        }
    }
}
