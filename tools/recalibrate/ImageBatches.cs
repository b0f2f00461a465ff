using ConR.Shared.Preprocessing;

namespace ConR.Recalibrate;

/// <summary>
/// Decodes images and preprocesses them exactly as the serving API and the trainer's evaluation do (the safe decoder,
/// then <see cref="ImagePreprocessor.Preprocess"/> with the card's spec), batch by batch through the graph.
/// </summary>
internal static class ImageBatches
{
    /// <summary>Largest source image accepted, in pixels: the trainer's limit.</summary>
    public const long MaxSourcePixels = 40_000_000;

    private const int BatchSize = 64;

    /// <summary>The graph's output for every image, in order: [paths.Count, scorer.OutputLength] laid end to end.</summary>
    /// <exception cref="RecalibrationInputException">An image cannot be read or decoded.</exception>
    public static float[] Run(OnnxScorer scorer, ImageSpec spec, IReadOnlyList<string> paths, int workers)
    {
        var output = new float[paths.Count * scorer.OutputLength];
        var input = new float[BatchSize * spec.TensorLength];
        for (var start = 0; start < paths.Count; start += BatchSize)
        {
            var count = Math.Min(BatchSize, paths.Count - start);
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = workers }, k =>
                Preprocess(paths[start + k], spec).CopyTo(input.AsSpan(k * spec.TensorLength, spec.TensorLength)));
            var batch = count == BatchSize ? input : input[..(count * spec.TensorLength)];
            scorer.Run(batch, count).CopyTo(output.AsSpan(start * scorer.OutputLength));
        }

        return output;
    }

    private static float[] Preprocess(string path, ImageSpec spec)
    {
        try
        {
            using var image = SafeImageDecoder.Decode(File.ReadAllBytes(path), MaxSourcePixels, Timeout.InfiniteTimeSpan);
            return ImagePreprocessor.Preprocess(image, spec);
        }
        catch (Exception ex) when (ex is ImageDecodeException or IOException or UnauthorizedAccessException)
        {
            throw new RecalibrationInputException($"{path}: {ex.Message}", ex);
        }
    }
}
