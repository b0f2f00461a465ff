using static TorchSharp.torch;

namespace ConR.Training.Export;

/// <summary>
/// Rounds exported weights to float16, and writes the rounded values back into the TorchSharp parameter they came from,
/// so the module computes what the exported graph stores.
/// </summary>
internal static class Float16Weights
{
    /// <summary>Each value rounded to the nearest float16 (ties to even).</summary>
    /// <exception cref="InvalidOperationException">A finite value beyond float16's range (±65504).</exception>
    public static Half[] Round(ReadOnlySpan<float> values, string what)
    {
        var result = new Half[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            var h = (Half)values[i];
            if (Half.IsInfinity(h) && float.IsFinite(values[i]))
                throw new InvalidOperationException($"{what} holds {values[i]}, beyond float16's range: export with float32 weights");
            result[i] = h;
        }
        return result;
    }

    /// <summary>
    /// Sets <paramref name="parameter"/> to <c>stored / scale[o]</c> for output channel o (the first dimension), in the
    /// parameter's own dtype and device. <paramref name="channelScale"/> is the folded batch norm's
    /// <c>gamma / sqrt(var + eps)</c> when the stored weight is <c>W * scale</c>, or null when it is W itself.
    /// </summary>
    public static void WriteBack(Tensor parameter, ReadOnlySpan<Half> stored, double[]? channelScale)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (parameter.numel() != stored.Length)
            throw new ArgumentException($"the parameter has {parameter.numel()} values, the stored weight {stored.Length}", nameof(stored));
        int perChannel = channelScale is null ? stored.Length : stored.Length / channelScale.Length;
        var values = new float[stored.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double scale = channelScale is null ? 1 : channelScale[i / perChannel];
            // A channel with scale 0 outputs its shift whatever its weights; 0 avoids 0/0.
            values[i] = scale == 0 ? 0f : (float)((double)stored[i] / scale);
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        parameter.copy_(tensor(values, parameter.shape));
    }
}
