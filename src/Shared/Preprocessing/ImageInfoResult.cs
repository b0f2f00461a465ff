namespace ConR.Shared.Preprocessing;

/// <summary>What an image header declares, read without decoding pixels.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Format">Format name as ImageSharp reports it: "JPEG", "PNG", "BMP" or "Webp".</param>
public sealed record ImageInfoResult(int Width, int Height, string Format)
{
    /// <summary>Gets Width * Height (one frame).</summary>
    public long PixelCount => (long)Width * Height;
}
