using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConR.Training.Engine;

/// <summary>
/// Mixed precision without autocast: a bfloat16 copy of the model runs forward and backward (AMX/AVX512-BF16 make
/// CPU convolutions several times faster), while the float32 master keeps the weights the optimizer updates.
/// </summary>
public sealed class Bf16Shadow<TModule> : IDisposable where TModule : nn.Module
{
    private readonly Parameter[] masterParameters, shadowParameters;
    private readonly Tensor[] masterBuffers, shadowBuffers;

    public Bf16Shadow(TModule master, TModule shadow, Device device)
    {
        Shadow = shadow;
        shadow.to(device);
        shadow.to(ScalarType.BFloat16);
        masterParameters = master.parameters().ToArray();
        shadowParameters = shadow.parameters().ToArray();
        masterBuffers = master.buffers().ToArray();
        shadowBuffers = shadow.buffers().ToArray();
        if (masterParameters.Length != shadowParameters.Length || masterBuffers.Length != shadowBuffers.Length)
            throw new ArgumentException("the shadow must have the master's architecture", nameof(shadow));
    }

    /// <summary>The bfloat16 copy; run forward/backward on it between <see cref="PullWeights"/> and <see cref="PushGradients"/>.</summary>
    public TModule Shadow { get; }

    public void PullWeights()
    {
        using var noGrad = no_grad();
        for (int i = 0; i < masterParameters.Length; i++) shadowParameters[i].copy_(masterParameters[i]);
        for (int i = 0; i < masterBuffers.Length; i++) shadowBuffers[i].copy_(masterBuffers[i]);
        Shadow.zero_grad();
    }

    /// <summary>Accumulates the shadow's gradients into the master (in float32) and copies BatchNorm statistics back.</summary>
    public void PushGradients()
    {
        using var scope = NewDisposeScope();
        Tensor? surrogate = null;
        for (int i = 0; i < masterParameters.Length; i++)
        {
            var grad = shadowParameters[i].grad;
            if (grad is null) continue;
            // d/dm sum(m * g) = g: one cheap backward writes every float32 gradient.
            var term = (masterParameters[i] * grad.detach().to_type(ScalarType.Float32)).sum();
            surrogate = surrogate is null ? term : surrogate + term;
        }
        surrogate?.backward();
        using var noGrad = no_grad();
        for (int i = 0; i < masterBuffers.Length; i++) masterBuffers[i].copy_(shadowBuffers[i]);
    }

    public void Dispose() => Shadow.Dispose();
}
