using ConR.Shared.Preprocessing;
using ConR.Training.Engine;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Training.Depth.Data;

/// <summary>Decodes depth PNGs into metres.</summary>
/// <remarks>
/// A 16-bit PNG is decoded as <see cref="L16"/> and an 8-bit image as <see cref="L8"/>, so no value is rescaled by
/// a pixel-format conversion. Colour files are reduced to luminance (exact for grey values stored as RGB). The
/// decoder is <see cref="SafeImageDecoder.Configuration"/> (PNG, JPEG, BMP, WebP, capped memory).
/// </remarks>
public static class DepthImageReader
{
    /// <summary>Largest accepted width · height; NYUD2 maps are 640 × 480.</summary>
    public const long MaxPixels = 40_000_000;

    // v · 10 / 255 in double, rounded once to float: 51 → exactly 2 m.
    private static readonly float[] EightBitMetres = [.. Enumerable.Range(0, 256).Select(v => (float)(v * 10.0 / 255.0))];

    /// <summary>Reads a depth map as row-major metres, [height, width].</summary>
    /// <param name="path">The depth image.</param>
    /// <param name="encoding">
    /// How values map to metres. An explicit encoding must match the file's bit depth (a 16-bit file read as
    /// <see cref="DepthEncoding.Nyu8BitTenMetres"/>, or an 8-bit one as <see cref="DepthEncoding.Millimetres16"/>,
    /// is refused rather than silently rescaled); <see cref="DepthEncoding.Auto"/> picks by bit depth.
    /// </param>
    /// <param name="width">The map's width in pixels.</param>
    /// <param name="height">The map's height in pixels.</param>
    /// <exception cref="DataFormatException">The file is missing, unreadable, not an image, or of the wrong bit depth; the message names it.</exception>
    public static float[] ReadMetres(string path, DepthEncoding encoding, out int width, out int height)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Enum.IsDefined(encoding)) throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown depth encoding.");
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException($"{path}: cannot read the depth map: {e.Message}", e);
        }

        try
        {
            var configuration = SafeImageDecoder.Configuration;
            var info = Image.Identify(configuration, data, out IImageFormat? format);
            if (info is null || format is null) throw new DataFormatException($"{path}: not a PNG, JPEG, BMP or WebP image.");
            if ((long)info.Width * info.Height > MaxPixels)
                throw new DataFormatException($"{path}: the depth map is {info.Width}x{info.Height}; at most {MaxPixels} pixels are accepted.");
            bool sixteenBit = format is PngFormat && info.Metadata.GetPngMetadata().BitDepth == PngBitDepth.Bit16;
            var resolved = encoding == DepthEncoding.Auto
                ? (sixteenBit ? DepthEncoding.Millimetres16 : DepthEncoding.Nyu8BitTenMetres)
                : encoding;
            if (resolved == DepthEncoding.Millimetres16 && !sixteenBit)
                throw new DataFormatException($"{path}: an 8-bit {format.Name} image cannot hold millimetre depth; expected a 16-bit PNG.");
            if (resolved == DepthEncoding.Nyu8BitTenMetres && sixteenBit)
                throw new DataFormatException($"{path}: a 16-bit PNG read as 8-bit depth; use millimetres or auto.");

            var metres = resolved == DepthEncoding.Millimetres16 ? Decode16(configuration, data) : Decode8(configuration, data);
            width = info.Width;
            height = info.Height;
            return metres;
        }
        catch (DataFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DataFormatException($"{path}: cannot decode the depth map: {e.Message}", e);
        }
    }

    private static float[] Decode16(Configuration configuration, byte[] data)
    {
        using var image = Image.Load<L16>(configuration, data);
        var metres = new float[image.Width * image.Height];
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                var dst = metres.AsSpan(y * accessor.Width, accessor.Width);
                for (int x = 0; x < row.Length; x++) dst[x] = row[x].PackedValue / 1000f;
            }
        });
        return metres;
    }

    private static float[] Decode8(Configuration configuration, byte[] data)
    {
        using var image = Image.Load<L8>(configuration, data);
        var metres = new float[image.Width * image.Height];
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                var dst = metres.AsSpan(y * accessor.Width, accessor.Width);
                for (int x = 0; x < row.Length; x++) dst[x] = EightBitMetres[row[x].PackedValue];
            }
        });
        return metres;
    }
}
