using System.Text.Json;
using ConR.Training.Depth.Synth;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Training.Tests.Depth.Synth;

public class SynthDepthGeneratorTests
{
    [Fact]
    public void RenderScene_SameSeedAndIndex_IdenticalBytes()
    {
        var a = SynthDepthGenerator.RenderScene(seed: 11, index: 5, width: 64, height: 48);
        var b = SynthDepthGenerator.RenderScene(seed: 11, index: 5, width: 64, height: 48);

        Assert.Equal(a.Rgb, b.Rgb);
        Assert.Equal(a.Depth, b.Depth);
    }

    [Fact]
    public void RenderScene_DifferentIndexOrSeed_DifferentScene()
    {
        var a = SynthDepthGenerator.RenderScene(seed: 11, index: 5, width: 64, height: 48);
        var otherIndex = SynthDepthGenerator.RenderScene(seed: 11, index: 6, width: 64, height: 48);
        var otherSeed = SynthDepthGenerator.RenderScene(seed: 12, index: 5, width: 64, height: 48);

        Assert.NotEqual(a.Rgb, otherIndex.Rgb);
        Assert.NotEqual(a.Depth, otherIndex.Depth);
        Assert.NotEqual(a.Rgb, otherSeed.Rgb);
        Assert.NotEqual(a.Depth, otherSeed.Depth);
    }

    [Theory]
    [InlineData(128, 96)]
    [InlineData(64, 48)]
    [InlineData(33, 17)]
    public void RenderScene_AnySize_ReturnsHwcBuffersOfThatSize(int width, int height)
    {
        var scene = SynthDepthGenerator.RenderScene(3, 0, width, height);

        Assert.Equal(width, scene.Width);
        Assert.Equal(height, scene.Height);
        Assert.Equal(width * height * 3, scene.Rgb.Length);
        Assert.Equal(width * height, scene.Depth.Length);
    }

    [Fact]
    public void RenderScene_ManyScenes_DepthFiniteAndWithinZeroToTenMetres()
    {
        for (int i = 0; i < 40; i++)
        {
            var scene = SynthDepthGenerator.RenderScene(seed: 1, index: i, width: 48, height: 36);
            foreach (float d in scene.Depth)
            {
                Assert.True(float.IsFinite(d), $"scene {i}: depth {d} is not finite");
                Assert.True(d is > 0f and <= 10f, $"scene {i}: depth {d} outside (0, 10]");
            }

            // Not a blank image: a room has several colours.
            Assert.True(scene.Rgb.Distinct().Count() > 20, $"scene {i} looks blank");
        }
    }

    [Fact]
    public void RenderScene_SameSceneAtTwoSizes_SameGeometry()
    {
        // The scene does not depend on the resolution: the centre pixel's depth agrees at 2x the size.
        var small = SynthDepthGenerator.RenderScene(4, 9, 65, 49);
        var large = SynthDepthGenerator.RenderScene(4, 9, 129, 97);

        Assert.Equal(small.Depth[(24 * 65) + 32], large.Depth[(48 * 129) + 64], 3);
    }

    [Fact]
    public void Generate_OneVsTwoThreads_IdenticalFiles()
    {
        using var dir = new SynthTempDir();
        var one = new SynthDepthOptions(dir.Sub("one"), Count: 12, Width: 32, Height: 24, Seed: 5) { MaxDegreeOfParallelism = 1 };
        var two = one with { OutputDir = dir.Sub("two"), MaxDegreeOfParallelism = 2 };

        var s1 = SynthDepthGenerator.Generate(one);
        var s2 = SynthDepthGenerator.Generate(two);

        Assert.Equal(s1.Histogram, s2.Histogram);
        var files1 = RelativeFiles(one.OutputDir);
        var files2 = RelativeFiles(two.OutputDir);
        Assert.Equal(files1, files2);
        Assert.Equal(12 * 2 + 5, files1.Count); // rgb + depth per scene, 3 CSVs, histogram, summary
        foreach (string f in files1)
        {
            if (f == SynthDepthGenerator.SummaryJson) continue; // holds the elapsed time
            Assert.True(
                File.ReadAllBytes(Path.Combine(one.OutputDir, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(two.OutputDir, f))),
                $"{f} differs between 1 and 2 threads");
        }
    }

    [Fact]
    public void Generate_WrittenPngs_DecodeToRenderedSceneAndMillimetres()
    {
        using var dir = new SynthTempDir();
        var options = new SynthDepthOptions(dir.Path, Count: 3, Width: 40, Height: 30, Seed: 21);

        SynthDepthGenerator.Generate(options);

        for (int i = 0; i < options.Count; i++)
        {
            var scene = SynthDepthGenerator.RenderScene(options.Seed, i, options.Width, options.Height);
            string depthPath = Path.Combine(dir.Path, "depth", $"{i:D5}.png");
            var info = Image.Identify(depthPath);
            Assert.Equal(16, info.PixelType.BitsPerPixel);
            using var depth = Image.Load<L16>(depthPath);
            Assert.Equal(options.Width, depth.Width);
            Assert.Equal(options.Height, depth.Height);
            for (int y = 0; y < options.Height; y++)
            {
                for (int x = 0; x < options.Width; x++)
                {
                    double expectedMm = scene.Depth[(y * options.Width) + x] * 1000.0;
                    Assert.InRange(depth[x, y].PackedValue, expectedMm - 1, expectedMm + 1);
                }
            }

            using var rgb = Image.Load<Rgb24>(Path.Combine(dir.Path, "rgb", $"{i:D5}.png"));
            var bytes = new byte[options.Width * options.Height * 3];
            rgb.CopyPixelDataTo(bytes);
            Assert.Equal(scene.Rgb, bytes);
        }
    }

    [Fact]
    public void Generate_SplitCsvs_PointToExistingFilesWithoutHeader()
    {
        using var dir = new SynthTempDir();
        var options = new SynthDepthOptions(dir.Path, Count: 20, Width: 16, Height: 12, Seed: 2);

        var summary = SynthDepthGenerator.Generate(options);

        Assert.Equal((16, 2, 2), (summary.TrainCount, summary.ValCount, summary.TestCount));
        var seen = new HashSet<string>();
        foreach (var (csv, expectedRows) in new[] { ("synth_train.csv", 16), ("synth_val.csv", 2), ("synth_test.csv", 2) })
        {
            string[] lines = File.ReadAllLines(Path.Combine(dir.Path, csv));
            Assert.Equal(expectedRows, lines.Length);
            foreach (string line in lines)
            {
                string[] fields = line.Split(',');
                Assert.Equal(2, fields.Length);
                Assert.StartsWith("rgb/", fields[0], StringComparison.Ordinal); // no header row
                Assert.StartsWith("depth/", fields[1], StringComparison.Ordinal);
                Assert.False(Path.IsPathRooted(fields[0]));
                Assert.True(File.Exists(Path.Combine(dir.Path, fields[0])), fields[0]);
                Assert.True(File.Exists(Path.Combine(dir.Path, fields[1])), fields[1]);
                Assert.True(seen.Add(fields[0]), $"{fields[0]} is listed twice");
            }
        }

        Assert.Equal(20, seen.Count);
    }

    [Fact]
    public void Generate_Histogram_SumsToCountTimesPixels()
    {
        using var dir = new SynthTempDir();
        var options = new SynthDepthOptions(dir.Path, Count: 7, Width: 24, Height: 18, Seed: 8);
        var progress = new List<int>();

        var summary = SynthDepthGenerator.Generate(options, new SyncProgress(progress));

        long expected = 7L * 24 * 18;
        Assert.Equal(100, summary.Histogram.Length);
        Assert.Equal(expected, summary.Histogram.Sum());
        Assert.Equal(expected, summary.TotalPixels);
        Assert.Equal(7, progress.Max());

        string[] lines = File.ReadAllLines(Path.Combine(dir.Path, "histogram.csv"));
        Assert.Equal("bin_start_m,count", lines[0]);
        Assert.Equal(101, lines.Length);
        Assert.Equal("0.0", lines[1].Split(',')[0]);
        Assert.Equal("9.9", lines[100].Split(',')[0]);
        Assert.Equal(expected, lines.Skip(1).Sum(l => long.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "summary.json")));
        var root = json.RootElement;
        Assert.Equal(expected, root.GetProperty("pixels").GetInt64());
        Assert.Equal(summary.FractionBelow1m, root.GetProperty("fraction_below_1m").GetDouble(), 12);
        Assert.Equal(summary.FractionBetween1p5And4m, root.GetProperty("fraction_1_5_to_4m").GetDouble(), 12);
        Assert.Equal(summary.FractionAbove6m, root.GetProperty("fraction_above_6m").GetDouble(), 12);
        Assert.True(root.GetProperty("elapsed_seconds").GetDouble() >= 0);
    }

    [Fact]
    public void Generate_CancelledToken_ThrowsOperationCanceled()
    {
        using var dir = new SynthTempDir();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(
            () => SynthDepthGenerator.Generate(new SynthDepthOptions(dir.Path, 50, 16, 12, 1), ct: cts.Token));
    }

    [Fact]
    public void Generate_InvalidOptions_ThrowsBeforeWriting()
    {
        using var dir = new SynthTempDir();
        string outDir = dir.Sub("out");

        Assert.ThrowsAny<ArgumentException>(() => SynthDepthGenerator.Generate(new SynthDepthOptions(outDir, 0, 16, 12, 1)));
        Assert.False(Directory.Exists(outDir));
    }

    private static List<string> RelativeFiles(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    // Progress<T> posts to the thread pool; this one records synchronously.
    private sealed class SyncProgress(List<int> values) : IProgress<int>
    {
        public void Report(int value)
        {
            lock (values) values.Add(value);
        }
    }
}
