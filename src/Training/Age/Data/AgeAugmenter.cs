using System.Buffers;
using ConR.Shared.Preprocessing;

namespace ConR.Training.Age.Data;

/// <summary>
/// The official age training transform applied to a cached, already resized image:
/// RandomCrop(size, padding) with zero padding, RandomHorizontalFlip(p = 0.5), then the same normalization as
/// <see cref="ImagePreprocessor.ToChw(ReadOnlySpan{byte}, ImageSpec, Span{float})"/>.
/// </summary>
/// <remarks>
/// The crop and flip are done on bytes, with padding as black pixels like torchvision's fill=0, so a padded pixel
/// normalizes to (0 - mean) / std (-1 for the age spec). Random draws, in order: crop top, crop left
/// (each uniform in [0, 2 * padding]), then the flip (NextDouble() &lt; 0.5).
/// </remarks>
public sealed class AgeAugmenter
{
    public AgeAugmenter(int size, int padding)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        Size = size;
        Padding = padding;
    }

    public AgeAugmenter(int size)
        : this(size, DefaultPadding(size))
    {
    }

    public int Size { get; }

    public int Padding { get; }

    /// <summary>
    /// The official 16 pixels at 224, scaled to <paramref name="size"/> and truncated: max(1, floor(16 * size / 224)),
    /// so 4 at 64 px like the independent reference trainer (issue 18: with 5, conr-train's ConR runs trailed it in
    /// the rare old ages; with 4 they fall inside its seed spread, docs/results.md).
    /// </summary>
    public static int DefaultPadding(int size) => Math.Max(1, (int)Math.Floor(16.0 * size / 224.0));

    /// <summary>
    /// The default until session 7, rounded instead of truncated (5 at 64 px): what a run configuration that
    /// recorded no padding (<see cref="AgeTrainConfig.CropPadding"/> null) was trained with, so it resumes unchanged.
    /// </summary>
    public static int LegacyPadding(int size) => Math.Max(1, (int)Math.Round(16.0 * size / 224.0, MidpointRounding.ToEven));

    /// <param name="hwc">[Size, Size, 3] RGB bytes.</param>
    /// <param name="chwDestination">[3, Size, Size] floats.</param>
    /// <param name="rng">The source of the crop offset and flip.</param>
    /// <param name="spec">Normalization; its size must be Size x Size.</param>
    public void Augment(ReadOnlySpan<byte> hwc, Span<float> chwDestination, Random rng, ImageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Width != Size || spec.Height != Size)
            throw new ArgumentException($"The spec is {spec.Width}x{spec.Height}; this augmenter works at {Size}x{Size}.", nameof(spec));
        int length = Size * Size * ImageSpec.Channels;
        if (hwc.Length != length) throw new ArgumentException($"Expected {length} RGB bytes, got {hwc.Length}.", nameof(hwc));

        int top = rng.Next((2 * Padding) + 1);
        int left = rng.Next((2 * Padding) + 1);
        bool flip = rng.NextDouble() < 0.5;

        byte[] scratch = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var cropped = scratch.AsSpan(0, length);
            Crop(hwc, cropped, top - Padding, left - Padding, flip);
            ImagePreprocessor.ToChw(cropped, spec, chwDestination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    // Output pixel (y, x) comes from source (y + dy, c + dx), where c = x, or Size - 1 - x when flipped
    // (the flip mirrors the crop); sources outside the image are black.
    private void Crop(ReadOnlySpan<byte> source, Span<byte> destination, int dy, int dx, bool flip)
    {
        int rowBytes = Size * ImageSpec.Channels;
        destination.Clear();
        int x0 = Math.Max(0, -dx), x1 = Math.Min(Size, Size - dx);
        for (int y = 0; y < Size; y++)
        {
            int sy = y + dy;
            if (sy < 0 || sy >= Size || x0 >= x1) continue;
            var srcRow = source.Slice(sy * rowBytes, rowBytes);
            var dstRow = destination.Slice(y * rowBytes, rowBytes);
            if (!flip)
            {
                srcRow.Slice((x0 + dx) * 3, (x1 - x0) * 3).CopyTo(dstRow[(x0 * 3)..]);
                continue;
            }
            for (int c = x0; c < x1; c++)
                srcRow.Slice((c + dx) * 3, 3).CopyTo(dstRow.Slice((Size - 1 - c) * 3, 3));
        }
    }
}
