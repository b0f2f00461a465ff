using System.Diagnostics;
using ConR.Api.Errors;
using ConR.Api.Metrics;
using ConR.Api.Options;
using ConR.Shared.Imaging;
using ConR.Shared.Preprocessing;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Api.Imaging;

/// <summary>
/// Reads an uploaded image the safe way: size checked before reading, header identified under a timeout and its
/// pixel count checked before any pixel is decoded, decoding bounded in time and memory (the shared
/// <see cref="SafeImageDecoder"/>: JPEG, PNG, BMP and WebP only). Multi-frame images give their first frame: an
/// animated WebP through <see cref="WebpFirstFrame"/>, an animated PNG because the decoder reads its default image.
/// </summary>
internal sealed class ImageReader(IOptions<InferenceOptions> options) : IDisposable
{
    // Decoding and resizing are pure CPU work: more of them at once than there are cores only adds context switches
    // and cache misses, and starves the inference worker that shares the cores.
    private readonly SemaphoreSlim? cpuSlots = options.Value.MaxConcurrentDecodes is > 0 and var slots ? new SemaphoreSlim(slots, slots) : null;

    /// <summary>
    /// Waits for one of the <see cref="InferenceOptions.MaxConcurrentDecodes"/> slots; hold it (dispose to release)
    /// around decoding and preprocessing one image.
    /// </summary>
    public async ValueTask<CpuSlot> EnterAsync(CancellationToken cancellationToken)
    {
        if (cpuSlots is null)
        {
            return default;
        }

        await cpuSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new CpuSlot(cpuSlots);
    }

    public void Dispose() => cpuSlots?.Dispose();

    /// <exception cref="ApiProblemException">400 empty, 413 too many bytes or pixels, 415 not an accepted format, 422 corrupt or too slow.</exception>
    public async Task<Image<Rgb24>> ReadAsync(IFormFile file, string field, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (file.Length == 0)
        {
            throw Problems.BadRequest($"The '{field}' file '{file.FileName}' is empty.");
        }

        if (file.Length > settings.MaxUploadBytes)
        {
            throw Problems.TooLarge($"The '{field}' file is {file.Length} bytes; at most {settings.MaxUploadBytes} are accepted (Inference:MaxUploadBytes).");
        }

        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        }

        return Decode(bytes, field);
    }

    public Image<Rgb24> Decode(byte[] bytes, string field)
    {
        // One span per image, under the request's: decoding is the request's own CPU time, before the queue.
        using var span = ApiTelemetry.Source.StartActivity(ApiTelemetry.DecodeSpan);
        span?.SetTag("conr.field", field).SetTag("conr.image.bytes", bytes.Length);
        try
        {
            var image = DecodeChecked(bytes, field);
            span?.SetTag("conr.image.width", image.Width).SetTag("conr.image.height", image.Height);
            return image;
        }
        catch (ApiProblemException ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }

    private Image<Rgb24> DecodeChecked(byte[] bytes, string field)
    {
        var settings = options.Value;

        // ImageSharp 2.1 cannot decode animated WebP; its first frame, re-wrapped as a still, it can.
        bytes = WebpFirstFrame.ToStill(bytes) ?? bytes;
        try
        {
            using (var header = new MemoryStream(bytes, writable: false))
            {
                var info = SafeImageDecoder.Identify(header, settings.MaxPixels, TimeSpan.FromMilliseconds(settings.IdentifyTimeoutMs), settings.MaxAspectRatio);
                if (Math.Max(info.Width, info.Height) > settings.MaxSide)
                {
                    throw Problems.TooLarge($"'{field}': the image is {info.Width}x{info.Height}; no side may exceed {settings.MaxSide} pixels (Inference:MaxSide).");
                }
            }

            return SafeImageDecoder.Decode(bytes, settings.MaxPixels, TimeSpan.FromMilliseconds(settings.DecodeTimeoutMs), settings.MaxAspectRatio);
        }
        catch (ImageDecodeException ex)
        {
            var detail = $"'{field}': {ex.Message}";
            throw ex.Error switch
            {
                ImageDecodeError.UnsupportedFormat => Problems.UnsupportedMediaType(detail + " Accepted formats: JPEG, PNG, BMP, WebP."),
                ImageDecodeError.TooManyPixels => Problems.TooLarge(detail + " (Inference:MaxPixels)"),
                ImageDecodeError.Timeout => Problems.Unprocessable(detail, ex),
                ImageDecodeError.ExtremeShape => Problems.Unprocessable(detail + " (Inference:MaxAspectRatio)", ex),
                _ => Problems.Unprocessable(detail, ex),
            };
        }
    }
}

/// <summary>One held decoding slot of <see cref="ImageReader.EnterAsync"/>; the default value holds nothing.</summary>
internal readonly struct CpuSlot(SemaphoreSlim? slots) : IDisposable
{
    public void Dispose() => slots?.Release();
}
