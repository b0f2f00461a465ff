using ConR.Api.Hosting;
using ConR.Api.Metrics;
using ConR.Api.Onnx;
using Polly;
using Polly.CircuitBreaker;
using Polly.Fallback;
using Polly.Timeout;

namespace ConR.Api.Inference;

/// <summary>
/// Runs one model version's batches: a Polly timeout that terminates the run (504), and, when the session is on
/// CUDA, a circuit breaker and a fallback to a CPU session of the same model. A failing CUDA run is retried on CPU
/// at once; when half the CUDA runs fail, the circuit opens and the model stays on CPU (logged, counted, and shown
/// in /v1/models) until a trial run after <c>CircuitBreakDurationSeconds</c> succeeds again.
/// </summary>
internal sealed class ModelRunner : IDisposable
{
    private static readonly ResiliencePropertyKey<InferenceBatch> BatchKey = new("conr.batch");

    private readonly IInferenceBackend primary;
    private readonly Lazy<IInferenceBackend>? cpuFallback;
    private readonly ResiliencePipeline<bool> pipeline;
    private readonly ResiliencePipeline cpuPipeline;
    private readonly ApiMetrics metrics;
    private readonly ILogger logger;
    private readonly string model;
    private volatile FallbackStatus fallback = FallbackStatus.Inactive;

    public ModelRunner(
        string model,
        IInferenceBackend primary,
        Func<IInferenceBackend>? createCpuFallback,
        RunnerSettings settings,
        ApiMetrics metrics,
        ILoggerFactory loggerFactory)
    {
        this.model = model;
        this.primary = primary;
        this.metrics = metrics;
        logger = loggerFactory.CreateLogger<ModelRunner>();
        cpuFallback = createCpuFallback is null ? null : new Lazy<IInferenceBackend>(createCpuFallback, LazyThreadSafetyMode.ExecutionAndPublication);
        cpuPipeline = new ResiliencePipelineBuilder().AddTimeout(settings.Timeout).ConfigureTelemetry(loggerFactory).Build();

        var builder = new ResiliencePipelineBuilder<bool>();
        if (cpuFallback is not null)
        {
            var handled = new PredicateBuilder<bool>().Handle<Exception>(IsBackendFailure);
            builder.AddFallback(new FallbackStrategyOptions<bool>
            {
                ShouldHandle = handled,
                FallbackAction = RunOnCpu,
                OnFallback = args =>
                {
                    metrics.CpuFallbackRuns.Increment(model);
                    if (args.Outcome.Exception is not BrokenCircuitException)
                    {
                        Log.PrimaryRunFailed(logger, model, primary.ExecutionProvider, args.Outcome.Exception);
                    }

                    return default;
                },
            });
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<bool>
            {
                ShouldHandle = handled,
                FailureRatio = 0.5,
                MinimumThroughput = settings.BreakerMinimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = settings.BreakDuration,
                OnOpened = args =>
                {
                    var reason = args.Outcome.Exception?.Message ?? "runs failed";
                    fallback = new FallbackStatus(true, reason, DateTimeOffset.UtcNow, fallback.Activations + 1);
                    metrics.CpuFallbacks.Increment(model);
                    Log.CpuFallbackActivated(logger, model, primary.ExecutionProvider, reason, settings.BreakDuration.TotalSeconds);
                    return default;
                },
                OnClosed = _ =>
                {
                    if (fallback.Active)
                    {
                        fallback = fallback with { Active = false };
                        Log.CpuFallbackEnded(logger, model, primary.ExecutionProvider);
                    }

                    return default;
                },
            });
        }

        pipeline = builder.AddTimeout(settings.Timeout).ConfigureTelemetry(loggerFactory).Build();
    }

    /// <summary>Gets the provider batches run on now: the CPU one while the fallback is active.</summary>
    public string ExecutionProvider => fallback.Active ? OnnxBackendFactory.CpuProvider : primary.ExecutionProvider;

    /// <summary>Gets the provider the model was loaded on.</summary>
    public string PrimaryProvider => primary.ExecutionProvider;

    public bool HasCpuFallback => cpuFallback is not null;

    public FallbackStatus Fallback => fallback;

    /// <summary>Runs a batch through timeout, breaker and fallback.</summary>
    /// <exception cref="TimeoutRejectedException">The run took longer than the timeout and was terminated.</exception>
    public void Run(InferenceBatch batch, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(BatchKey, batch);
            pipeline.Execute(
                static (ctx, state) =>
                {
                    state.primary.Run(ctx.Properties.GetValue(BatchKey, null!), ctx.CancellationToken);
                    return true;
                },
                context,
                this);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Runs a batch on the primary session only, under <paramref name="cancellationToken"/> (warm-up).</summary>
    public void RunPrimary(InferenceBatch batch, CancellationToken cancellationToken) => primary.Run(batch, cancellationToken);

    public void Dispose()
    {
        primary.Dispose();
        if (cpuFallback is { IsValueCreated: true })
        {
            cpuFallback.Value.Dispose();
        }
    }

    // Timeouts and cancellations are the caller's answer (504), not a sign of a broken device.
    private static bool IsBackendFailure(Exception exception) =>
        exception is not (OperationCanceledException or TimeoutRejectedException);

    private ValueTask<Outcome<bool>> RunOnCpu(FallbackActionArguments<bool> args)
    {
        var batch = args.Context.Properties.GetValue(BatchKey, null!);
        cpuPipeline.Execute(static (state, ct) => state.Backend.Run(state.Batch, ct), (Backend: cpuFallback!.Value, Batch: batch), args.Context.CancellationToken);
        return Outcome.FromResultAsValueTask(true);
    }
}

/// <summary>The runner's limits, from <see cref="Options.InferenceOptions"/>.</summary>
internal sealed record RunnerSettings(TimeSpan Timeout, int BreakerMinimumThroughput, TimeSpan BreakDuration);

/// <summary>Whether a model's CUDA session is bypassed for its CPU one, why, since when, and how often it happened.</summary>
internal sealed record FallbackStatus(bool Active, string? Reason, DateTimeOffset? Since, int Activations)
{
    public static FallbackStatus Inactive { get; } = new(false, null, null, 0);
}
