using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using ConR.Shared.Preprocessing;

namespace ConR.Recalibrate;

/// <summary>One RGB-D pair of a depth split file.</summary>
internal sealed record DepthScene(string RgbPath, string DepthPath);

/// <summary>
/// Depth split files (NYUD2-DIR layout, no header: <c>rgb path,depth path</c>, relative to the data folder) and their
/// scenes scored at the input resolution, as the trainer evaluates: the model's output map upsampled bilinearly
/// (half-pixel, <see cref="BilinearUpsampler"/>) to the ground truth's size.
/// </summary>
/// <remarks>
/// Only scenes stored at the card's input size are accepted (SynthDepth-DIR at 64x48 for the bundled model): the
/// trainer's evaluation transform (scale the shorter side, centre crop) is then the identity, and the ground truth is
/// the stored 16-bit PNG in millimetres, pixel for pixel.
/// </remarks>
internal static class DepthScenes
{
    private const int BatchSize = 64;

    /// <exception cref="RecalibrationInputException">The file is missing, a row is malformed or names a missing file.</exception>
    public static IReadOnlyList<DepthScene> Read(string csvPath, string dataDir)
    {
        if (!File.Exists(csvPath))
        {
            throw new RecalibrationInputException($"Split file {csvPath} not found.");
        }

        var name = Path.GetFileName(csvPath);
        var scenes = new List<DepthScene>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(csvPath))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = CsvFields.Split(line);
            if (fields is not { Count: 2 })
            {
                throw new RecalibrationInputException($"{name}:{lineNumber}: expected 2 columns (rgb path, depth path).");
            }

            var rgb = Path.GetFullPath(Path.Combine(dataDir, fields[0]));
            var depth = Path.GetFullPath(Path.Combine(dataDir, fields[1]));
            if (!File.Exists(rgb) || !File.Exists(depth))
            {
                throw new RecalibrationInputException($"{name}:{lineNumber}: {(File.Exists(rgb) ? depth : rgb)} not found.");
            }

            scenes.Add(new DepthScene(rgb, depth));
        }

        if (scenes.Count == 0)
        {
            throw new RecalibrationInputException($"{name} has no rows.");
        }

        return scenes;
    }

    /// <summary>Predicted and true depth of every scene at the input resolution, [scene][H * W], metres.</summary>
    /// <param name="scorer">The depth graph.</param>
    /// <param name="spec">The card's input spec.</param>
    /// <param name="outputHeight">H' of the graph's [N, 1, H', W'] output.</param>
    /// <param name="outputWidth">W' of the output.</param>
    /// <param name="scenes">The scenes, in order.</param>
    /// <param name="workers">Threads that decode.</param>
    public static (float[][] Predictions, float[][] Truth) Score(
        OnnxScorer scorer, ImageSpec spec, int outputHeight, int outputWidth, IReadOnlyList<DepthScene> scenes, int workers)
    {
        var truth = new float[scenes.Count][];
        Parallel.For(0, scenes.Count, new ParallelOptions { MaxDegreeOfParallelism = workers }, i => truth[i] = ReadMetres(scenes[i].DepthPath, spec));
        var output = ImageBatches.Run(scorer, spec, [.. scenes.Select(s => s.RgbPath)], workers);
        var predictions = new float[scenes.Count][];
        var length = outputHeight * outputWidth;
        for (var i = 0; i < scenes.Count; i++)
        {
            predictions[i] = BilinearUpsampler.HalfPixel(output.AsSpan(i * length, length), outputHeight, outputWidth, spec.Height, spec.Width);
        }

        return (predictions, truth);
    }

    /// <summary>Every pixel with ground truth (finite, &gt; 0), flattened in scene order: the calibration and coverage samples.</summary>
    public static (float[] Predictions, float[] Truth) ValidPixels(IReadOnlyList<float[]> predictions, IReadOnlyList<float[]> truth)
    {
        var valid = truth.Sum(map => map.Count(d => float.IsFinite(d) && d > 0));
        var p = new float[valid];
        var y = new float[valid];
        var k = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            for (var j = 0; j < truth[i].Length; j++)
            {
                var d = truth[i][j];
                if (float.IsFinite(d) && d > 0)
                {
                    p[k] = float.IsFinite(predictions[i][j]) ? predictions[i][j] : 0f;
                    y[k++] = d;
                }
            }
        }

        return (p, y);
    }

    // A 16-bit PNG in millimetres (SynthDepth-DIR and NYUD2's test maps), read as L16 so no value is rescaled.
    private static float[] ReadMetres(string path, ImageSpec spec)
    {
        try
        {
            var data = File.ReadAllBytes(path);
            var info = Image.Identify(SafeImageDecoder.Configuration, data, out IImageFormat? format);
            if (info is null || format is not PngFormat || info.Metadata.GetPngMetadata().BitDepth != PngBitDepth.Bit16)
            {
                throw new RecalibrationInputException($"{path}: expected a 16-bit PNG of depth in millimetres.");
            }

            if (info.Width != spec.Width || info.Height != spec.Height)
            {
                throw new RecalibrationInputException(
                    $"{path} is {info.Width}x{info.Height}; only scenes stored at the card's input size {spec.Width}x{spec.Height} are supported.");
            }

            using var image = Image.Load<L16>(SafeImageDecoder.Configuration, data);
            var metres = new float[image.Width * image.Height];
            image.ProcessPixelRows(rows =>
            {
                for (var y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (var x = 0; x < row.Length; x++)
                    {
                        metres[(y * rows.Width) + x] = row[x].PackedValue / 1000f;
                    }
                }
            });
            return metres;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ImageFormatException or UnknownImageFormatException)
        {
            throw new RecalibrationInputException($"{path}: cannot read the depth map: {ex.Message}", ex);
        }
    }
}
