using ConR.Training.Depth;
using ConR.Training.Depth.Synth;

namespace ConR.Training.Tests.Depth;

// A few dozen SynthDepth-DIR scenes at 32x24, generated per test class into a temp folder.
internal sealed class TinyDepthDataSet : IDisposable
{
    public TinyDepthDataSet(int count = 48, int width = 32, int height = 24, int seed = 7)
    {
        Root = Path.Combine(Path.GetTempPath(), "conr-tinydepth-" + Guid.NewGuid().ToString("N"));
        SynthDepthGenerator.Generate(new SynthDepthOptions(Root, count, width, height, seed) { MaxDegreeOfParallelism = 2 });
        Width = width;
        Height = height;
    }

    public string Root { get; }
    public int Width { get; }
    public int Height { get; }

    public DepthTrainConfig Config(int epochs = 2, bool conr = false, string variant = "Dense", string loss = "mse") => new()
    {
        DataDir = Root,
        TrainCsv = Path.Combine(Root, SynthDepthGenerator.TrainCsv),
        ValCsv = Path.Combine(Root, SynthDepthGenerator.ValCsv),
        TestCsv = Path.Combine(Root, SynthDepthGenerator.TestCsv),
        Architecture = "resnet18",
        Width = 0.0625,
        ImageWidth = Width,
        ImageHeight = Height,
        BatchSize = 8,
        Epochs = epochs,
        LearningRate = 1e-3,
        Workers = 1,
        ConR = conr,
        ConRVariant = variant,
        Loss = loss,
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
        }
    }
}
