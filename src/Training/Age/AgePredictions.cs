using ConR.Training.Age.Data;
using ConR.Training.Age.Models;
using static TorchSharp.torch;

namespace ConR.Training.Age;

/// <summary>An age model on a split, eval mode and eval transform: predictions, pooled features, MAE and MSE.</summary>
public static class AgePredictions
{
    /// <summary>Pooled features [N, D] and labels [N] of a split, in index order.</summary>
    public static (Tensor Features, Tensor Labels) Features(AgeRegressor model, AgeData data, int[] indices, int workers, Device device, int batchSize = 256)
    {
        model.eval();
        using var noGrad = no_grad();
        using var loader = new BatchLoader(data.Store, indices, batchSize, views: 1, augment: false, shuffle: false,
            dropLast: false, seed: 0, epoch: 0, workers, prefetch: 2, data.Spec);
        var parts = new List<Tensor>();
        int size = data.Store.Size;
        foreach (var batch in loader.Batches())
        {
            using var scope = NewDisposeScope();
            var (_, features) = model.forward(tensor(batch.Views[0], [batch.Count, 3, size, size]).to(device));
            parts.Add(features.to_type(ScalarType.Float32).MoveToOuterDisposeScope());
        }
        var all = cat(parts, 0);
        foreach (var part in parts) part.Dispose();
        return (all, tensor(indices.Select(i => data.Label(i)).ToArray(), device: device));
    }

    /// <summary>MAE and MSE of the model on a split.</summary>
    public static AgeValScore Score(AgeRegressor model, AgeData data, int[] indices, int workers, Device device)
    {
        var predictions = Predict(model, data, indices, workers, device);
        double mae = 0, mse = 0;
        for (int i = 0; i < indices.Length; i++)
        {
            double e = predictions[i] - data.Label(indices[i]);
            mae += Math.Abs(e);
            mse += e * e;
        }
        return new AgeValScore(mae / indices.Length, mse / indices.Length);
    }

    public static double[] Predict(AgeRegressor model, AgeData data, int[] indices, int workers, Device device, int batchSize = 256)
    {
        model.eval();
        using var noGrad = no_grad();
        using var loader = new BatchLoader(data.Store, indices, batchSize, views: 1, augment: false, shuffle: false,
            dropLast: false, seed: 0, epoch: 0, workers, prefetch: 2, data.Spec);
        var result = new List<double>(indices.Length);
        int size = data.Store.Size;
        foreach (var batch in loader.Batches())
        {
            using var scope = NewDisposeScope();
            var (prediction, _) = model.forward(tensor(batch.Views[0], [batch.Count, 3, size, size]).to(device));
            result.AddRange(prediction.cpu().data<float>().ToArray().Select(v => (double)v));
        }
        return [.. result];
    }
}
