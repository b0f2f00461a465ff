using ConR.Api.Errors;
using ConR.Api.Imaging;
using ConR.Api.Options;
using ConR.Api.Tests.Support;
using ConR.Shared.Preprocessing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace ConR.Api.Tests.Imaging;

/// <summary>The start-up warm-up runs the real request path (the reader's checks, decoding, preprocessing).</summary>
public sealed class ImagePathWarmupTests
{
    [Fact]
    public void Run_DecodesAndPreprocessesAJpegAndAPngPerIteration()
    {
        using var reader = new ImageReader(MsOptions.Create(new InferenceOptions()));

        var result = ImagePathWarmup.Run(reader, ImageSpec.Age(32), iterations: 3);

        Assert.Equal(6, result.Images);
        Assert.True(result.Elapsed > TimeSpan.Zero);
    }

    [Fact]
    public void Run_GoesThroughTheReadersLimits()
    {
        // The 200x200 samples against a 100-pixel limit: the same 413 a request would get.
        using var reader = new ImageReader(MsOptions.Create(new InferenceOptions { MaxPixels = 100 }));

        var error = Assert.Throws<ApiProblemException>(() => ImagePathWarmup.Run(reader, ImageSpec.Age(32), iterations: 1));

        Assert.Equal(413, error.Status);
    }

    [Fact]
    public void Run_ZeroIterations_DecodesNothing()
    {
        using var reader = new ImageReader(MsOptions.Create(new InferenceOptions { MaxPixels = 100 }));

        Assert.Equal(0, ImagePathWarmup.Run(reader, ImageSpec.Age(32), iterations: 0).Images);
    }

    [Fact]
    public async Task StartUp_MaxPixelsBelowTheSamples_SkipsTheWarmUpAndStillGetsReady()
    {
        // The 200x200 samples are refused (413) as a request would be; the warm-up is skipped, never fatal.
        await using var app = new ApiApplication(settings: new Dictionary<string, string?>
        {
            ["Inference:WarmupImages"] = "5",
            ["Inference:MaxPixels"] = "1000",
        });
        using var client = await app.StartReadyAsync();

        Assert.Contains(app.Logs.Lines, line => line.Contains("Image path warm-up skipped", StringComparison.Ordinal) && line.Contains("MaxPixels", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("5", "Image path warmed up: 10 images")]
    [InlineData("0", null)]
    public async Task StartUp_WarmsTheImagePathBeforeReady(string images, string? expected)
    {
        await using var app = new ApiApplication(settings: new Dictionary<string, string?> { ["Inference:WarmupImages"] = images });
        using var client = await app.StartReadyAsync();

        var logged = app.Logs.Lines.Where(line => line.Contains("Image path warmed up", StringComparison.Ordinal)).ToList();
        if (expected is null)
        {
            Assert.Empty(logged);
        }
        else
        {
            Assert.Contains(logged, line => line.Contains(expected, StringComparison.Ordinal));
        }
    }
}
