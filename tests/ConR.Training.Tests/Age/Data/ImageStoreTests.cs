using ConR.Training.Age.Data;
using ConR.Training.Engine;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Training.Tests.Age.Data;

public class ImageStoreTests
{
    private static readonly Rgb24[] Colors =
    [
        new(200, 30, 30), new(30, 200, 30), new(30, 30, 200), new(220, 220, 40), new(128, 128, 128), new(10, 240, 160),
    ];

    [Fact]
    public void Load_PngAndJpegFixtures_KeepsCsvOrderAndResizes()
    {
        using var dir = new TempDir();
        string csv = WriteFixtures(dir, corruptRow: -1);
        var samples = DirCsvReader.Read(csv, dir.Path, skipBad: false).Samples;
        var progress = new RecordingProgress();

        var store = ImageStore.Load(samples, size: 8, skipBad: false, degreeOfParallelism: 2, progress);

        Assert.Equal(Colors.Length, store.Count);
        Assert.Equal(8, store.Size);
        Assert.Empty(store.Skipped);
        Assert.Equal(Colors.Length, progress.Values.Max());
        for (int i = 0; i < store.Count; i++)
        {
            Assert.Same(samples[i], store.Sample(i));
            var pixels = store.Pixels(i).ToArray();
            Assert.Equal(8 * 8 * 3, pixels.Length);
            // Solid colors survive resize exactly (PNG) or within JPEG error.
            int tolerance = i % 2 == 0 ? 0 : 6;
            for (int p = 0; p < pixels.Length; p += 3)
            {
                Assert.InRange(pixels[p], Colors[i].R - tolerance, Colors[i].R + tolerance);
                Assert.InRange(pixels[p + 1], Colors[i].G - tolerance, Colors[i].G + tolerance);
                Assert.InRange(pixels[p + 2], Colors[i].B - tolerance, Colors[i].B + tolerance);
            }
        }
    }

    [Fact]
    public void Load_CorruptImage_ThrowsNamingFileAndCsvLine()
    {
        using var dir = new TempDir();
        string csv = WriteFixtures(dir, corruptRow: 3);
        var samples = DirCsvReader.Read(csv, dir.Path, skipBad: false).Samples;

        var error = Assert.Throws<DataFormatException>(() => ImageStore.Load(samples, 8, skipBad: false, degreeOfParallelism: 2));

        Assert.Contains("img3.jpg", error.Message);
        Assert.Contains("CSV line 5", error.Message);
    }

    [Fact]
    public void Load_TallThinImageWithSkipBad_IsSkippedNotACrash()
    {
        using var dir = new TempDir();
        using (var thin = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(1, 4000))
        {
            thin.SaveAsPng(Path.Combine(dir.Path, "thin.png"));
        }
        using (var face = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(20, 20))
        {
            face.SaveAsPng(Path.Combine(dir.Path, "face.png"));
        }
        string csv = dir.Write("ages.csv", "age,path,split\n30,thin.png,train\n31,face.png,train\n");
        var samples = DirCsvReader.Read(csv, dir.Path, skipBad: false).Samples;

        var store = ImageStore.Load(samples, 8, skipBad: true, degreeOfParallelism: 1);

        Assert.Equal([31f], Enumerable.Range(0, store.Count).Select(i => store.Sample(i).Label));
        Assert.Contains("thin.png", Assert.Single(store.Skipped), StringComparison.Ordinal);
        Assert.Contains("1x4000", store.Skipped[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorruptImageWithSkipBad_SkipsItAndKeepsOrder()
    {
        using var dir = new TempDir();
        string csv = WriteFixtures(dir, corruptRow: 3);
        var samples = DirCsvReader.Read(csv, dir.Path, skipBad: false).Samples;

        var store = ImageStore.Load(samples, 8, skipBad: true, degreeOfParallelism: 2);

        Assert.Equal(Colors.Length - 1, store.Count);
        Assert.Equal([0f, 1f, 2f, 4f, 5f], Enumerable.Range(0, store.Count).Select(i => store.Sample(i).Label));
        Assert.Contains("img3.jpg", Assert.Single(store.Skipped));
    }

    [Fact]
    public void FromPixels_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(
            () => ImageStore.FromPixels([new DirSample(1, "x", "train", 2)], [new byte[10]], size: 2));
    }

    // Even rows are PNG, odd rows JPEG, of different sizes; row k of the CSV (line k + 2) has label k.
    private static string WriteFixtures(TempDir dir, int corruptRow)
    {
        var lines = new List<string> { "age,path,split" };
        for (int i = 0; i < Colors.Length; i++)
        {
            string name = i % 2 == 0 ? $"faces/img{i}.png" : $"faces/img{i}.jpg";
            if (i == corruptRow)
            {
                var junk = new byte[512];
                new Random(i).NextBytes(junk);
                dir.Write(name, junk);
            }
            else
            {
                using var image = new Image<Rgb24>(20 + i, 16 + (2 * i), Colors[i]);
                using var stream = new MemoryStream();
                if (i % 2 == 0) image.Save(stream, new PngEncoder());
                else image.Save(stream, new JpegEncoder { Quality = 95 });
                dir.Write(name, stream.ToArray());
            }
            lines.Add($"{i},{name},train");
        }
        return dir.Write("faces.csv", string.Join('\n', lines) + "\n");
    }

    private sealed class RecordingProgress : IProgress<int>
    {
        public List<int> Values { get; } = [];

        public void Report(int value)
        {
            lock (Values) Values.Add(value);
        }
    }
}
