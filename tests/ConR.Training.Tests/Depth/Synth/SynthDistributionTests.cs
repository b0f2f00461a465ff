using ConR.Training.Depth.Synth;
using Xunit.Abstractions;

namespace ConR.Training.Tests.Depth.Synth;

public class SynthDistributionTests(ITestOutputHelper output)
{
    [Fact]
    public void RenderScene_200SmallScenes_PixelDepthsImbalancedLikeNyud2()
    {
        const int Scenes = 200;
        var histogram = new long[SynthDepthGenerator.HistogramBins];
        var locals = new long[Scenes][];
        Parallel.For(0, Scenes, i =>
        {
            locals[i] = new long[SynthDepthGenerator.HistogramBins];
            SynthDepthHistogram.Add(locals[i], SynthDepthGenerator.RenderScene(seed: 2024, index: i, width: 64, height: 48).Depth);
        });
        foreach (var local in locals)
        {
            for (int b = 0; b < histogram.Length; b++) histogram[b] += local[b];
        }

        var (below1, mid, above6) = SynthDepthHistogram.Fractions(histogram);
        output.WriteLine(FormattableString.Invariant($"<1 m: {below1:P2}; 1.5–4 m: {mid:P2}; >6 m: {above6:P2}"));

        Assert.Equal((long)Scenes * 64 * 48, histogram.Sum());
        Assert.True(mid > 0.5, $"only {mid:P1} of pixels in 1.5–4 m");
        Assert.True(below1 < 0.1, $"{below1:P1} of pixels below 1 m");
        Assert.True(above6 < 0.1, $"{above6:P1} of pixels beyond 6 m");
        // Imbalanced, not truncated: the rare ranges still occur.
        Assert.True(below1 > 0, "no pixel below 1 m");
        Assert.True(above6 > 0, "no pixel beyond 6 m");
    }

    [Fact]
    public void Histogram_BinsAndFractions_FollowNyud2Binning()
    {
        var histogram = new long[SynthDepthGenerator.HistogramBins];

        SynthDepthHistogram.Add(histogram, [0.05f, 0.99f, 1.5f, 3.99f, 4.0f, 6.0f, 10f, 12f]);

        Assert.Equal(1, histogram[0]);
        Assert.Equal(1, histogram[9]);
        Assert.Equal(1, histogram[15]);
        Assert.Equal(1, histogram[39]);
        Assert.Equal(1, histogram[40]);
        Assert.Equal(1, histogram[60]);
        Assert.Equal(2, histogram[99]);
        var (below1, mid, above6) = SynthDepthHistogram.Fractions(histogram);
        Assert.Equal(2 / 8.0, below1, 12);
        Assert.Equal(2 / 8.0, mid, 12);
        Assert.Equal(3 / 8.0, above6, 12);
    }
}
