using ConR.Training.Depth.Models;
using ConR.Training.Engine;
using static TorchSharp.torch;

namespace ConR.Training.Depth;

/// <summary>
/// Times full depth optimisation steps (forward, per-pixel MSE, backward, Adam) on random images of a run's shape, in
/// float32 or bfloat16 compute: the probe behind `train depth --precision auto`. ConR is left out because its loss is
/// computed in float32 either way; the network is what the precision changes.
/// </summary>
internal static class DepthStepBenchmark
{
    public static double MillisecondsPerStep(DepthModelSpec spec, int batchSize, bool bf16, int steps = 3)
    {
        using var scope = NewDisposeScope();
        using var master = new DepthNet(spec);
        using var shadow = bf16 ? new Bf16Shadow<DepthNet>(master, new DepthNet(spec), CPU) : null;
        var network = shadow?.Shadow ?? master;
        using var optimizer = optim.Adam(master.parameters(), 1e-4);
        var input = randn(batchSize, 3, spec.ImageHeight, spec.ImageWidth);
        var target = rand(batchSize, 1, spec.OutputHeight, spec.OutputWidth) * 5 + 0.5;
        return StepTimer.MillisecondsPerStep(steps, () =>
        {
            using var step = NewDisposeScope();
            shadow?.PullWeights();
            var (prediction, _) = network.forward(bf16 ? input.to_type(ScalarType.BFloat16) : input);
            var loss = (prediction.to_type(ScalarType.Float32) - target).square().mean();
            optimizer.zero_grad();
            loss.backward();
            shadow?.PushGradients();
            optimizer.step();
        });
    }
}
