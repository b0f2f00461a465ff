using ConR.Shared.Metrics.Depth;
using ConR.Training.Depth.Data;
using ConR.Training.Depth.Models;
using static TorchSharp.torch;

namespace ConR.Training.Depth;

/// <summary>A depth model on a split, eval mode and eval transform: predicted maps and the depth DIR tables.</summary>
public static class DepthPredictions
{
    /// <summary>The balanced-mask DIR table of a split and the table over every valid pixel, with the predictions.</summary>
    public static (DepthDirTable Table, DepthDirTable AllPixels, float[][] Predictions) Evaluate(DepthNet model, DepthData data, string split, Device device, int workers)
    {
        var predictions = Predict(model, data, data.Split(split), device, workers);
        var (truth, mask) = data.EvalTruth(split);
        var balanced = new DepthMetricsAccumulator(DepthData.Bins, data.Shots);
        var all = new DepthMetricsAccumulator(DepthData.Bins, data.Shots);
        int offset = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            balanced.Add(predictions[i], truth[i], mask.AsSpan(offset, truth[i].Length));
            all.Add(predictions[i], truth[i], []);
            offset += truth[i].Length;
        }
        return (balanced.Result(), all.Result(), predictions);
    }

    /// <summary>
    /// Predicted depth of each scene at the evaluation size (Width x Height): the eval transform, the model in eval mode,
    /// and the output map upsampled bilinearly (align_corners false, as ONNX Resize half_pixel).
    /// </summary>
    public static float[][] Predict(DepthNet model, DepthData data, DepthScene[] scenes, Device device, int workers, int batchSize = 64)
    {
        model.eval();
        using var noGrad = no_grad();
        var aug = data.EvalAugmenter;
        var spec = model.Spec;
        var result = new float[scenes.Length][];
        for (int start = 0; start < scenes.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(batchSize, scenes.Length - start);
            var rgb = new float[n * aug.RgbLength];
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = workers }, k =>
            {
                var s = scenes[start + k];
                var depth = new float[aug.EvalDepthLength];
                aug.ApplyEval(s.Rgb, s.Width, s.Height, s.Depth, s.Width, s.Height, rgb.AsSpan(k * aug.RgbLength, aug.RgbLength), depth);
            });
            var (prediction, _) = model.forward(tensor(rgb, [n, 3, spec.ImageHeight, spec.ImageWidth]).to(device));
            var full = DepthNet.Upsample(prediction, spec.ImageHeight, spec.ImageWidth).cpu().contiguous().data<float>().ToArray();
            int len = spec.ImageHeight * spec.ImageWidth;
            for (int k = 0; k < n; k++) result[start + k] = full.AsSpan(k * len, len).ToArray();
        }
        return result;
    }
}
