using ConR.Training.Age.Models;
using ConR.Training.ConR;
using ConR.Training.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace ConR.Training.Age;

/// <summary>Times full optimisation steps (forward, loss, backward, Adam) on random images, with and without ConR.</summary>
public static class TrainingStepBenchmark
{
    public static void Run(string architecture, double width, int imageSize, int batchSize, int steps, TextWriter output)
    {
        torch.manual_seed(0);
        var spec = new ModelSpec(ModelSpec.AgeTask, architecture, width, imageSize);
        output.WriteLine($"Training step benchmark: {architecture} width {width}, {imageSize}px, batch {batchSize}, {torch.get_num_threads()} threads, {steps} timed steps");
        var conrLoss = TimeSteps(spec, batchSize, views: 3, steps, conrOnly: true, bf16: false);
        output.WriteLine();
        output.WriteLine("| configuration | precision | ms/step | images/s (labelled) | relative to fp32 vanilla |");
        output.WriteLine("|---|---|---:|---:|---:|");
        double baseline = 0, conrFp32 = 0;
        foreach (var bf16 in new[] { false, true })
        {
            var vanilla = TimeSteps(spec, batchSize, views: 1, steps, conrOnly: false, bf16);
            var conr = TimeSteps(spec, batchSize, views: 3, steps, conrOnly: false, bf16);
            if (!bf16) (baseline, conrFp32) = (vanilla, conr);
            string precision = bf16 ? "bf16 (fp32 master)" : "fp32";
            output.WriteLine($"| vanilla (1 view) | {precision} | {vanilla:F1} | {batchSize * 1000 / vanilla:F0} | {vanilla / baseline:F2}x |");
            output.WriteLine($"| + ConR (3 views) | {precision} | {conr:F1} | {batchSize * 1000 / conr:F0} | {conr / baseline:F2}x |");
        }
        output.WriteLine($"| ConR loss alone (fwd + bwd, {2 * batchSize} features) | fp32 | {conrLoss:F2} | - | {conrLoss / conrFp32:P1} of an fp32 ConR step |");
    }

    internal static double TimeSteps(ModelSpec spec, int batchSize, int views, int steps, bool conrOnly, bool bf16)
    {
        using var master = new AgeRegressor(spec);
        using var shadow = bf16 ? new Bf16Shadow<AgeRegressor>(master, new AgeRegressor(spec), CPU) : null;
        var model = shadow?.Shadow ?? master;
        using var optimizer = optim.Adam(master.parameters(), 1e-4);
        var options = new ConROptions();
        using var input = randn(views * batchSize, 3, spec.ImageSize, spec.ImageSize);
        using var labels = randint(1, 100, [batchSize, 1]).to_type(ScalarType.Float32);
        using var features = randn(2 * batchSize, model.FeatureSize);
        return StepTimer.MillisecondsPerStep(steps, () =>
        {
            using var scope = NewDisposeScope();
            if (conrOnly)
            {
                var f = features.detach().requires_grad_(true);
                var both = cat([labels, labels], 0);
                ConRLoss.Compute(f, both, both + randn_like(both), null, options).backward();
                return;
            }
            shadow?.PullWeights();
            var (prediction, feats) = model.forward(bf16 ? input.to_type(ScalarType.BFloat16) : input);
            prediction = prediction.to_type(ScalarType.Float32);
            feats = feats.to_type(ScalarType.Float32);
            var loss = (prediction[..batchSize] - labels).abs().mean();
            if (views == 3)
            {
                var both = cat([labels, labels], 0);
                loss = loss + 4 * ConRLoss.Compute(feats[batchSize..], both, prediction[batchSize..].detach(), null, options);
            }
            optimizer.zero_grad();
            loss.backward();
            shadow?.PushGradients();
            optimizer.step();
        });
    }
}
