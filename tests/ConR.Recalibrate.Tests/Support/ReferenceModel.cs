using ConR.Shared.Preprocessing;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Recalibrate.Tests.Support;

/// <summary>
/// A package's graph run the plain way (one session, one image at a time, the shared preprocessing), so the tests
/// know the metrics a card for their data must state without going through the tool's own scoring.
/// </summary>
internal static class ReferenceModel
{
    /// <summary>The first output of each image, [images, outputLength].</summary>
    public static float[][] Run(string onnxPath, ImageSpec spec, IEnumerable<string> imagePaths)
    {
        using var session = new InferenceSession(onnxPath);
        var input = session.InputMetadata.Keys.Single();
        var result = new List<float[]>();
        foreach (var path in imagePaths)
        {
            using var image = Image.Load<Rgb24>(path);
            var tensor = ImagePreprocessor.Preprocess(image, spec);
            using var value = OrtValue.CreateTensorValueFromMemory(tensor, [1, 3, spec.Height, spec.Width]);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, [input], [value], [session.OutputMetadata.Keys.First()]);
            result.Add(outputs[0].GetTensorDataAsSpan<float>().ToArray());
        }

        return [.. result];
    }
}
