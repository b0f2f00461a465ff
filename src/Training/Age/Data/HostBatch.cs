namespace ConR.Training.Age.Data;

/// <summary>A batch prepared on the host, ready to copy into tensors.</summary>
/// <param name="Views">Views[v] is the [Count, 3, S, S] NCHW buffer of view v, exactly Count * 3 * S * S long.</param>
/// <param name="Labels">[Count] targets.</param>
/// <param name="Indices">[Count] store indices of the samples, in batch order.</param>
/// <param name="Count">Samples in this batch (the last one may be short).</param>
public sealed record HostBatch(float[][] Views, float[] Labels, int[] Indices, int Count);
