using System.Diagnostics;
using ConR.Api.Errors;
using ConR.Api.Hosting;
using ConR.Api.Inference;
using ConR.Api.Metrics;
using ConR.Api.Onnx;
using ConR.Api.Options;
using ConR.Shared.ModelPackage;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace ConR.Api.Models;

/// <summary>
/// Turns a package folder into a warmed-up <see cref="LoadedModel"/>: card read and validated, ONNX digest checked,
/// session created on the configured device, signature checked against the card, warm-up runs. Any failure is a
/// 404 (no such model or version) or a 422 naming the reason, with every native handle released.
/// </summary>
internal sealed class ModelLoader(
    ModelRepositoryLayout layout,
    IInferenceBackendFactory factory,
    IOptions<InferenceOptions> options,
    ApiMetrics metrics,
    ILoggerFactory loggerFactory)
{
    private readonly ILogger logger = loggerFactory.CreateLogger<ModelLoader>();

    public LoadedModel Load(string name, int? version, CancellationToken cancellationToken)
    {
        var versions = layout.Versions(name);
        if (versions.Count == 0)
        {
            throw Problems.NotFound($"The model repository has no model '{name}' (no {Path.Combine(layout.Root, name, "VERSION")} folder).");
        }

        var chosen = version ?? versions[^1];
        if (!versions.Contains(chosen))
        {
            throw Problems.NotFound($"Model '{name}' has no version {chosen}; the repository has {string.Join(", ", versions)}.");
        }

        var folder = layout.PackageFolder(name, chosen);
        var card = ReadCard(name, chosen, folder);
        if (card.Name != name || card.Version != chosen)
        {
            // A copied folder would serve one package under another's name or version (and its metrics).
            throw Problems.Unprocessable(
                $"Package {name}/{chosen}: its {ModelRepositoryLayout.CardFile} describes {card.Name}/{card.Version}. A card must match its folder: " +
                "export the model with that name and version (conr-train export --name --version), or fix name and version in the card.");
        }

        var onnxPath = CheckOnnxFile(name, chosen, folder, card);
        cancellationToken.ThrowIfCancellationRequested();

        var settings = options.Value;
        var primary = CreatePrimary(name, chosen, onnxPath, settings.Device);
        ModelRunner? runner = null;
        try
        {
            var profile = ModelProfile.Create(name, card, primary, settings);
            Func<IInferenceBackend>? cpu = primary.ExecutionProvider == OnnxBackendFactory.CpuProvider
                ? null
                : () => factory.Create(onnxPath, InferenceDevice.Cpu);
            runner = new ModelRunner(
                name,
                primary,
                cpu,
                new RunnerSettings(TimeSpan.FromMilliseconds(settings.InferenceTimeoutMs), settings.CircuitBreakerMinimumThroughput, TimeSpan.FromSeconds(settings.CircuitBreakDurationSeconds)),
                metrics,
                loggerFactory);
            var maxBatch = profile.DynamicBatch ? settings.MaxBatchSize : 1;
            WarmUp(name, chosen, runner, profile.Layout, maxBatch, settings.WarmupTimeoutMs);
            var scheduler = new BatchScheduler(
                name,
                runner,
                profile.Layout,
                new SchedulerSettings(maxBatch, TimeSpan.FromMilliseconds(settings.MaxQueueDelayMs), settings.MaxQueueLength, settings.InferenceTimeoutMs),
                metrics,
                loggerFactory.CreateLogger<BatchScheduler>());
            Log.ModelLoaded(logger, name, chosen, primary.ExecutionProvider, card.Task, maxBatch);
            return new LoadedModel(name, chosen, folder, profile, runner, scheduler, loggerFactory.CreateLogger<LoadedModel>());
        }
        catch
        {
            if (runner is not null)
            {
                runner.Dispose();
            }
            else
            {
                primary.Dispose();
            }

            throw;
        }
    }

    private static ModelCard ReadCard(string name, int version, string folder)
    {
        var path = Path.Combine(folder, ModelRepositoryLayout.CardFile);
        try
        {
            return ModelCardSerializer.Deserialize(File.ReadAllText(path), $"{name}/{version}/{ModelRepositoryLayout.CardFile}");
        }
        catch (FileNotFoundException)
        {
            throw Problems.Unprocessable($"Package {name}/{version} has no {ModelRepositoryLayout.CardFile}.");
        }
        catch (IOException ex)
        {
            throw Problems.Unprocessable($"Package {name}/{version}: {ModelRepositoryLayout.CardFile} cannot be read: {ex.Message}", ex);
        }
        catch (ModelCardException ex)
        {
            throw Problems.Unprocessable(ex.Message, ex);
        }
    }

    private static string CheckOnnxFile(string name, int version, string folder, ModelCard card)
    {
        var path = Path.Combine(folder, ModelRepositoryLayout.OnnxFile);
        if (!File.Exists(path))
        {
            throw Problems.Unprocessable($"Package {name}/{version} has no {ModelRepositoryLayout.OnnxFile}.");
        }

        var digest = Sha256File.Of(path);
        if (!string.Equals(digest, card.OnnxSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw Problems.Unprocessable($"Package {name}/{version}: {ModelRepositoryLayout.OnnxFile} has SHA-256 {digest}, but the card says {card.OnnxSha256}; the files do not belong together.");
        }

        return path;
    }

    private IInferenceBackend CreatePrimary(string name, int version, string onnxPath, InferenceDevice device)
    {
        try
        {
            switch (device)
            {
                case InferenceDevice.Cuda:
                    return factory.Create(onnxPath, InferenceDevice.Cuda);
                case InferenceDevice.Auto when factory.CudaUnavailableReason() is null:
                    try
                    {
                        return factory.Create(onnxPath, InferenceDevice.Cuda);
                    }
                    catch (Exception ex) when (ex is OnnxRuntimeException or ExecutionProviderUnavailableException)
                    {
                        Log.CudaSessionFailed(logger, name, version, ex.Message);
                        return factory.Create(onnxPath, InferenceDevice.Cpu);
                    }

                case InferenceDevice.Auto:
                    Log.CudaUnavailable(logger, name, version);
                    return factory.Create(onnxPath, InferenceDevice.Cpu);
                default:
                    return factory.Create(onnxPath, InferenceDevice.Cpu);
            }
        }
        catch (ExecutionProviderUnavailableException ex)
        {
            throw Problems.Unprocessable($"Model '{name}' version {version} cannot run on CUDA (Inference:Device is 'cuda'): {ex.Message}", ex);
        }
        catch (OnnxRuntimeException ex)
        {
            throw Problems.Unprocessable($"ONNX Runtime cannot load {name}/{version}/{ModelRepositoryLayout.OnnxFile}: {ex.Message}", ex);
        }
    }

    // A first run allocates the arena and, on CUDA, picks kernels; doing it here keeps that off the first request and
    // proves the graph runs. Batch 1 and the largest batch, the two shapes the scheduler forms most.
    private void WarmUp(string name, int version, ModelRunner runner, TensorLayout layout, int maxBatch, int timeoutMs)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = new CancellationTokenSource(timeoutMs);
        foreach (var batch in maxBatch > 1 ? new[] { 1, maxBatch } : [1])
        {
            var input = new float[batch * layout.InputLength];
            var output = new float[batch * layout.OutputLength];
            try
            {
                runner.RunPrimary(new InferenceBatch(layout.InputName, input, layout.InputShape(batch), layout.OutputName, output, layout.OutputShape(batch)), timeout.Token);
            }
            catch (OperationCanceledException ex)
            {
                throw Problems.Unprocessable($"Warm-up of {name}/{version} took longer than Inference:WarmupTimeoutMs ({timeoutMs} ms).", ex);
            }
            catch (Exception ex)
            {
                throw Problems.Unprocessable($"Warm-up inference of {name}/{version} failed: {ex.Message}", ex);
            }

            foreach (var value in output)
            {
                if (!float.IsFinite(value))
                {
                    throw Problems.Unprocessable($"Warm-up inference of {name}/{version} produced {value}; the model is not usable.");
                }
            }
        }

        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Log.ModelWarmedUp(logger, name, version, elapsedMs);
    }
}
