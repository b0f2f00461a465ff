using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Shared.Preprocessing;

/// <summary>
/// Decodes untrusted image bytes: reads the header first and refuses formats other than JPEG, PNG, BMP and WebP,
/// images above a pixel cap (before any pixel buffer is allocated), truncated files, and decodes that run too long.
/// </summary>
/// <remarks>
/// Pixels are converted to RGB the way PIL's <c>convert("RGB")</c> does: alpha is dropped, not composited, and EXIF
/// orientation is not applied, matching the Python training pipeline. A multi-frame image (animated WebP) yields its
/// first frame only. The timeout is cooperative: ImageSharp checks it between markers and rows.
/// </remarks>
public static class SafeImageDecoder
{
    /// <summary>Largest single buffer, in megabytes, the decoder may allocate; 256 MB is about 89 megapixels RGB.</summary>
    public const int AllocationLimitMegabytes = 256;

    /// <summary>Memory, in megabytes, the decoder's pool may keep between decodes.</summary>
    public const int PoolSizeMegabytes = 64;

    /// <summary>
    /// Gets the configuration used for every decode: only the accepted formats are registered, and the memory
    /// allocator is capped (<see cref="AllocationLimitMegabytes"/>, <see cref="PoolSizeMegabytes"/>).
    /// </summary>
    public static Configuration Configuration { get; } = CreateConfiguration();

    /// <summary>The default largest ratio of the longer side to the shorter one (faces and rooms are near 1:1 to 4:3).</summary>
    public const double DefaultMaxAspectRatio = 20;

    /// <summary>
    /// Reads the header of an image without decoding its pixels.
    /// </summary>
    /// <param name="stream">The image bytes, read from its current position; a seekable stream is left there.</param>
    /// <param name="maxPixels">Largest accepted Width * Height.</param>
    /// <param name="timeout">Upper bound on the time spent; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <exception cref="ImageDecodeException">Unsupported format, unreadable header, too many pixels, or timeout.</exception>
    /// <param name="maxAspectRatio">Largest accepted ratio of the longer side to the shorter, checked from the header.</param>
    public static ImageInfoResult Identify(Stream stream, long maxPixels, TimeSpan timeout, double maxAspectRatio = DefaultMaxAspectRatio)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var cts = new CancellationTokenSource(timeout);
        var seekable = stream.CanSeek ? stream : CopyToMemory(stream);
        return Guard(cts, () => IdentifyCore(seekable, maxPixels, maxAspectRatio, cts.Token).Info);
    }

    /// <summary>
    /// Identifies, checks, then decodes an image to RGB. The caller disposes the result.
    /// </summary>
    /// <param name="data">The whole encoded file.</param>
    /// <param name="maxPixels">Largest accepted Width * Height, checked before decoding.</param>
    /// <param name="timeout">Upper bound on the time spent; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <exception cref="ImageDecodeException">The image is not accepted; the message says why.</exception>
    /// <param name="maxAspectRatio">Largest accepted ratio of the longer side to the shorter, checked before decoding.</param>
    public static Image<Rgb24> Decode(byte[] data, long maxPixels, TimeSpan timeout, double maxAspectRatio = DefaultMaxAspectRatio)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var cts = new CancellationTokenSource(timeout);
        return Guard(cts, () =>
        {
            using var stream = new MemoryStream(data, writable: false);
            var (info, format) = IdentifyCore(stream, maxPixels, maxAspectRatio, cts.Token);
            if (!ImageCompleteness.IsComplete(format, data))
                throw new ImageDecodeException(ImageDecodeError.Corrupt, $"The {info.Format} image is truncated.");
            stream.Position = 0;
            cts.Token.ThrowIfCancellationRequested();
            var decoder = Configuration.ImageFormatsManager.FindDecoder(format);
            var image = decoder.Decode<Rgb24>(Configuration, stream, cts.Token);
            return FirstFrame(image);
        });
    }

    /// <summary>
    /// Reads the stream to its end, then behaves as <see cref="Decode(byte[], long, TimeSpan, double)"/>.
    /// The caller bounds the stream's length (for example the request body limit).
    /// </summary>
    /// <param name="stream">The encoded image.</param>
    /// <param name="maxPixels">Largest accepted Width * Height, checked before decoding.</param>
    /// <param name="timeout">Decoding budget.</param>
    /// <param name="maxAspectRatio">Largest accepted ratio of the longer side to the shorter, checked before decoding.</param>
    public static Image<Rgb24> Decode(Stream stream, long maxPixels, TimeSpan timeout, double maxAspectRatio = DefaultMaxAspectRatio)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Decode(buffer.ToArray(), maxPixels, timeout, maxAspectRatio);
    }

    private static Configuration CreateConfiguration()
    {
        var configuration = new Configuration(
            new JpegConfigurationModule(),
            new PngConfigurationModule(),
            new BmpConfigurationModule(),
            new WebpConfigurationModule());
        configuration.MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
        {
            AllocationLimitMegabytes = AllocationLimitMegabytes,
            MaximumPoolSizeMegabytes = PoolSizeMegabytes,
        });
        return configuration;
    }

    private static (ImageInfoResult Info, IImageFormat Format) IdentifyCore(Stream stream, long maxPixels, double maxAspectRatio, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long start = stream.Position;
        var format = Image.DetectFormat(Configuration, stream)
            ?? throw new ImageDecodeException(ImageDecodeError.UnsupportedFormat, "The data is not a JPEG, PNG, BMP or WebP image.");
        stream.Position = start;
        if (Configuration.ImageFormatsManager.FindDecoder(format) is not IImageInfoDetector detector)
            throw new ImageDecodeException(ImageDecodeError.UnsupportedFormat, $"{format.Name} images are not accepted.");
        var header = detector.Identify(Configuration, stream, cancellationToken)
            ?? throw new ImageDecodeException(ImageDecodeError.Corrupt, $"The {format.Name} header could not be read.");
        stream.Position = start;
        var info = new ImageInfoResult(header.Width, header.Height, format.Name);
        if (info.Width <= 0 || info.Height <= 0)
            throw new ImageDecodeException(ImageDecodeError.Corrupt, $"The {format.Name} header declares an empty {info.Width}x{info.Height} image.");
        if (info.PixelCount > maxPixels)
        {
            throw new ImageDecodeException(
                ImageDecodeError.TooManyPixels,
                $"The image is {info.Width}x{info.Height} ({info.PixelCount} pixels); at most {maxPixels} are accepted.");
        }
        if (Math.Max(info.Width, info.Height) > maxAspectRatio * Math.Min(info.Width, info.Height))
        {
            throw new ImageDecodeException(
                ImageDecodeError.ExtremeShape,
                $"The image is {info.Width}x{info.Height}; its longer side may be at most {maxAspectRatio.ToString(System.Globalization.CultureInfo.InvariantCulture)} times its shorter.");
        }
        return (info, format);
    }

    private static Image<Rgb24> FirstFrame(Image<Rgb24> image)
    {
        if (image.Frames.Count == 1) return image;
        using (image)
            return image.Frames.CloneFrame(0);
    }

    private static MemoryStream CopyToMemory(Stream stream)
    {
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        buffer.Position = 0;
        return buffer;
    }

    // Turns whatever a decoder throws on hostile input (its own exceptions, but also NullReference or IndexOutOfRange
    // on some truncated headers) into one exception type with a message a client can act on.
    private static T Guard<T>(CancellationTokenSource cts, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ImageDecodeException)
        {
            throw;
        }
        catch (OperationCanceledException e) when (cts.IsCancellationRequested)
        {
            throw new ImageDecodeException(ImageDecodeError.Timeout, "Decoding the image took too long.", e);
        }
        catch (UnknownImageFormatException e)
        {
            throw new ImageDecodeException(ImageDecodeError.UnsupportedFormat, "The data is not a JPEG, PNG, BMP or WebP image.", e);
        }
        catch (Exception e) when (e is InvalidMemoryOperationException || e.InnerException is InvalidMemoryOperationException)
        {
            throw new ImageDecodeException(ImageDecodeError.TooManyPixels, "The image needs more memory than the decoder may use.", e);
        }
        catch (NotSupportedException e)
        {
            throw new ImageDecodeException(ImageDecodeError.UnsupportedFormat, $"The image uses an unsupported variant of its format: {e.Message}", e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ImageDecodeException(ImageDecodeError.Corrupt, $"The image is corrupt: {e.Message}", e);
        }
    }
}
