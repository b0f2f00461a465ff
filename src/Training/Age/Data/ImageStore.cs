using System.Diagnostics;
using ConR.Shared.Preprocessing;
using ConR.Training.Engine;

namespace ConR.Training.Age.Data;

/// <summary>
/// Decoded images held in memory as packed RGB bytes ([Size, Size, 3], HWC), resized once with
/// <see cref="ImagePreprocessor.Resize"/> so that training crops and evaluation see the same resize as the API.
/// </summary>
public sealed class ImageStore
{
    // Faces in the DIR benchmarks are a few hundred pixels a side; anything far larger is a mistake in the data.
    public const long MaxSourcePixels = 40_000_000;

    private readonly DirSample[] samples;
    private readonly byte[][] pixels;

    private ImageStore(DirSample[] samples, byte[][] pixels, int size, IReadOnlyList<string> skipped)
    {
        this.samples = samples;
        this.pixels = pixels;
        Size = size;
        Skipped = skipped;
    }

    public int Count => samples.Length;

    /// <summary>Gets the side length, in pixels, of every stored image.</summary>
    public int Size { get; }

    /// <summary>Gets one message per image left out by <c>skipBad</c>: path, CSV line and reason.</summary>
    public IReadOnlyList<string> Skipped { get; }

    public DirSample Sample(int i) => samples[i];

    /// <summary>[Size, Size, 3] RGB bytes of image <paramref name="i"/>.</summary>
    public ReadOnlySpan<byte> Pixels(int i) => pixels[i];

    /// <summary>
    /// Decodes and resizes every sample's image in parallel. The order is the input's, minus skipped images.
    /// </summary>
    /// <param name="samples">Rows from <see cref="DirCsvReader"/>.</param>
    /// <param name="size">Side length to resize to.</param>
    /// <param name="skipBad">false: an unreadable image throws <see cref="DataFormatException"/>; true: it is skipped.</param>
    /// <param name="degreeOfParallelism">Images decoded at once.</param>
    /// <param name="progress">Receives the number of images processed, about a hundred times per load.</param>
    public static ImageStore Load(
        IReadOnlyList<DirSample> samples, int size, bool skipBad, int degreeOfParallelism, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(degreeOfParallelism, 1);
        var spec = ImageSpec.Age(size); // only the size is used here; normalization happens per batch
        int n = samples.Count;
        var pixels = new byte[n][];
        var errors = new string?[n];
        int done = 0;
        int reportEvery = Math.Max(1, n / 100);

        var options = new ParallelOptions { MaxDegreeOfParallelism = degreeOfParallelism };
        Parallel.For(0, n, options, (i, state) =>
        {
            var sample = samples[i];
            try
            {
                pixels[i] = DecodeResized(sample.Path, spec);
            }
            catch (Exception e) when (e is ImageDecodeException or IOException or UnauthorizedAccessException)
            {
                errors[i] = $"{sample.Path} (CSV line {sample.Line}): {e.Message}";
                // Break, unlike Stop, still runs every lower index, so the error reported is always the first bad row.
                if (!skipBad) state.Break();
            }
            int count = Interlocked.Increment(ref done);
            if (progress is not null && (count % reportEvery == 0 || count == n)) progress.Report(count);
        });

        var keptSamples = new List<DirSample>(n);
        var keptPixels = new List<byte[]>(n);
        var skipped = new List<string>();
        for (int i = 0; i < n; i++)
        {
            if (errors[i] is { } error)
            {
                if (!skipBad) throw new DataFormatException(error);
                skipped.Add(error);
            }
            else
            {
                keptSamples.Add(samples[i]);
                keptPixels.Add(pixels[i]);
            }
        }
        return new ImageStore([.. keptSamples], [.. keptPixels], size, skipped);
    }

    /// <summary>Builds a store from already resized [size, size, 3] RGB buffers (synthetic data, tests).</summary>
    public static ImageStore FromPixels(IReadOnlyList<DirSample> samples, IReadOnlyList<byte[]> pixels, int size)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (samples.Count != pixels.Count) throw new ArgumentException("samples and pixels must have the same count.");
        int length = size * size * ImageSpec.Channels;
        for (int i = 0; i < pixels.Count; i++)
        {
            if (pixels[i].Length != length)
                throw new ArgumentException($"pixels[{i}] has {pixels[i].Length} bytes; {size}x{size} RGB needs {length}.");
        }
        return new ImageStore([.. samples], [.. pixels], size, []);
    }

    private static byte[] DecodeResized(string path, ImageSpec spec)
    {
        using var image = SafeImageDecoder.Decode(File.ReadAllBytes(path), MaxSourcePixels, Timeout.InfiniteTimeSpan);
        using var resized = ImagePreprocessor.Resize(image, spec);
        var buffer = new byte[spec.Width * spec.Height * ImageSpec.Channels];
        resized.CopyPixelDataTo(buffer);
        Debug.Assert(resized.Width == spec.Width && resized.Height == spec.Height, "Resize must produce the spec's size.");
        return buffer;
    }
}
