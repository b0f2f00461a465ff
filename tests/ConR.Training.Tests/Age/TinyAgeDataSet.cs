using System.Globalization;
using System.Text;
using ConR.Training.Age;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConR.Training.Tests.Age;

// A few dozen generated faces-that-are-not-faces whose brightness grows with age, so a model can learn something.
internal sealed class TinyAgeDataSet : IDisposable
{
    public TinyAgeDataSet(int train = 48, int val = 12, int test = 12, int size = 20)
    {
        Root = Path.Combine(Path.GetTempPath(), "conr-tiny-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "img"));
        var csv = new StringBuilder("age,path,split\n");
        var rng = new Random(3);
        int n = 0;
        foreach (var (split, count) in new[] { ("train", train), ("val", val), ("test", test) })
        {
            for (int i = 0; i < count; i++, n++)
            {
                int age = 1 + (i * 7 % 60);
                using var image = new Image<Rgb24>(size, size);
                for (int y = 0; y < size; y++)
                {
                    for (int x = 0; x < size; x++)
                    {
                        byte v = (byte)Math.Clamp(age * 4 + rng.Next(-10, 10) + x, 0, 255);
                        image[x, y] = new Rgb24(v, (byte)(255 - v), (byte)(y * 8));
                    }
                }
                image.SaveAsPng(Path.Combine(Root, "img", $"{n}.png"));
                csv.Append(CultureInfo.InvariantCulture, $"{age},img/{n}.png,{split}\n");
            }
        }
        File.WriteAllText(CsvPath, csv.ToString());
    }

    public string Root { get; }
    public string CsvPath => Path.Combine(Root, "tiny.csv");

    public AgeTrainConfig Config(bool conr = false, int epochs = 2) => new()
    {
        DataDir = Root,
        CsvPath = CsvPath,
        Architecture = "resnet18",
        Width = 0.0625,
        ImageSize = 16,
        BatchSize = 8,
        Epochs = epochs,
        LearningRate = 1e-3,
        Workers = 1,
        ConR = conr,
        Seed = 5,
    };

    public string NewRunDir() => Path.Combine(Root, "runs", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
