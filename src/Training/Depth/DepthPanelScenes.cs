using ConR.Training.Depth.Data;

namespace ConR.Training.Depth;

/// <summary>What the depth panels show of a split: which scenes, and their input as the model saw it.</summary>
public static class DepthPanelScenes
{
    /// <summary>
    /// The RGB the model is fed for <paramref name="scene"/> (the eval transform: scale and centre crop), with the
    /// ImageNet normalisation undone for display: HWC floats in [0, 1] at the evaluation size.
    /// </summary>
    public static float[] DisplayRgb(DepthData data, DepthScene scene)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(scene);
        var aug = data.EvalAugmenter;
        int pixels = data.Config.ImageWidth * data.Config.ImageHeight;
        var chw = new float[aug.RgbLength];
        var depth = new float[aug.EvalDepthLength];
        aug.ApplyEval(scene.Rgb, scene.Width, scene.Height, scene.Depth, scene.Width, scene.Height, chw, depth);
        var hwc = new float[pixels * 3];
        for (int c = 0; c < 3; c++)
        {
            for (int p = 0; p < pixels; p++)
                hwc[(p * 3) + c] = Math.Clamp((chw[(c * pixels) + p] * DepthAugmenter.ImageNetStd[c]) + DepthAugmenter.ImageNetMean[c], 0f, 1f);
        }
        return hwc;
    }

    /// <summary>
    /// <paramref name="count"/> scenes spread over the split's depths, near to far: the scenes with ground truth ordered by
    /// their mean true depth (ties by index), and from that order the first, the last and those evenly between. The
    /// choice depends on the ground truth alone, so every model of a data set is shown on the same scenes. With
    /// <paramref name="count"/> or fewer such scenes, all of them.
    /// </summary>
    /// <param name="truth">Ground truth per scene in metres; holes (not finite, or ≤ 0) are left out of the mean.</param>
    /// <param name="count">Scenes wanted; ≥ 1.</param>
    /// <returns>Indices into <paramref name="truth"/>, by increasing mean depth.</returns>
    public static int[] SpreadByDepth(IReadOnlyList<float[]> truth, int count)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var ordered = Enumerable.Range(0, truth.Count)
            .Select(i => (Index: i, Mean: MeanValidDepth(truth[i])))
            .Where(s => !double.IsNaN(s.Mean))
            .OrderBy(s => s.Mean).ThenBy(s => s.Index)
            .Select(s => s.Index)
            .ToArray();
        if (ordered.Length <= count) return ordered;
        if (count == 1) return [ordered[0]];
        // Positions k·(n − 1)/(count − 1) are distinct: their spacing is above 1 when n > count.
        return [.. Enumerable.Range(0, count).Select(k => ordered[(int)Math.Round(k * (ordered.Length - 1) / (double)(count - 1), MidpointRounding.AwayFromZero)])];
    }

    private static double MeanValidDepth(float[] depth)
    {
        double sum = 0;
        long n = 0;
        foreach (var d in depth)
        {
            if (!(float.IsFinite(d) && d > 0)) continue;
            sum += d;
            n++;
        }
        return n == 0 ? double.NaN : sum / n;
    }
}
