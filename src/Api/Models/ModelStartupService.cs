using ConR.Api.Errors;
using ConR.Api.Hosting;
using ConR.Api.Imaging;
using ConR.Api.Onnx;
using ConR.Api.Options;
using ConR.Shared.Preprocessing;
using Microsoft.Extensions.Options;

namespace ConR.Api.Models;

/// <summary>
/// Start-up: checks the device synchronously (device=cuda without a loadable CUDA provider stops start-up with the
/// reason), then loads and warms up every configured model in the background while the service is live but not
/// ready, after running the image path over its bundled warm-up images (<see cref="ImagePathWarmup"/>). A package that
/// fails to load stops the service (as Triton's exit-on-error does), naming the package.
/// </summary>
internal sealed class ModelStartupService(
    ModelRegistry registry,
    ImageReader images,
    IInferenceBackendFactory factory,
    IOptions<InferenceOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ModelStartupService> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var device = options.Value.Device;
        if (device != InferenceDevice.Cpu && factory.CudaUnavailableReason() is { } reason)
        {
            if (device == InferenceDevice.Cuda)
            {
                // A setting that does not fit this host: reported like any invalid setting (message, exit code 2).
                throw new OptionsValidationException(
                    InferenceOptions.SectionName,
                    typeof(InferenceOptions),
                    [$"Inference:Device is 'cuda', but CUDA cannot be used on this host: {reason}. " +
                     "Install the CUDA 13 runtime and cuDNN 9 (see deploy/README.md), or set Inference:Device to 'auto' or 'cpu'."]);
            }

            Log.DeviceAutoOnCpu(logger, reason);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Before the models: ready then also means the decoding and preprocessing code has been through the JIT.
        // The tensor size does not matter to the JIT; the age models' 64 px spec stands for any.
        // It only saves the first requests some JIT time, so a refusal (MaxPixels under the samples' 200x200, a tiny
        // decode timeout) is logged, not fatal.
        var settings = options.Value;
        try
        {
            var warm = await Task.Run(() => ImagePathWarmup.Run(images, ImageSpec.Age(64), settings.WarmupImages), stoppingToken);
            if (warm.Images > 0)
            {
                Log.ImagePathWarmedUp(logger, warm.Images, warm.Elapsed.TotalMilliseconds);
            }
        }
        catch (ApiProblemException ex)
        {
            Log.ImagePathWarmupSkipped(logger, ex.Message);
        }

        var failed = new List<string>();
        foreach (var name in registry.ConfiguredModels)
        {
            try
            {
                await registry.LoadAsync(name, version: null, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (ApiProblemException ex)
            {
                failed.Add($"{name}: {ex.Message}");
            }
        }

        if (failed.Count > 0)
        {
            // Serving some models and never becoming ready would hide the broken package; stop, naming it.
            var failures = string.Join(" | ", failed);
            Log.StartupLoadFailed(logger, failures);
            lifetime.StopApplication();
            return;
        }

        var models = string.Join(", ", registry.ConfiguredModels);
        Log.Ready(logger, models);
    }
}
