using ConR.Shared.Preprocessing;
using ConR.Training.Age.Models;
using ConR.Training.Encoder.Pretrained;
using ConR.Training.Depth.Models;
using ConR.Training.Encoder;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Encoder.Pretrained;

/// <summary>
/// The imported network against the package's own ONNX graph under ONNX Runtime, at the file's fixed 224 px, on one
/// generated image: the pooled 512 features (our eval-mode forward without the regressor) vs <c>Pooling395_Output_0</c>.
/// </summary>
public sealed class ImageNetResNet18ParityTests(ITestOutputHelper output)
{
    private const int Size = 224;

    [ImageNetWeightsFact]
    public void WeightsAsInTheFile_ReproduceTheOnnxGraph()
    {
        var pixels = GeneratedImage();
        var expected = RunPackage(SourceInput(pixels));
        using var model = NewModel();
        ImageNetResNet18.LoadAsIs(model.Encoder, OnnxInitializers.Read(ImageNetResNet18.DefaultPath));

        var actual = Features(model, SourceInput(pixels));

        var (maxAbs, maxRelative) = Differences(actual, expected);
        output.WriteLine($"weights as in the file: max abs {maxAbs:E2}, relative {maxRelative:E2}");
        Assert.True(maxAbs <= 1e-3 && maxRelative <= 1e-4, $"max abs {maxAbs:E2}, max relative to the largest feature {maxRelative:E2}");
    }

    [ImageNetWeightsFact]
    public void FoldedStem_OnNormalisedRgb_ReproducesTheGraph_WhenZeroIsTheMeanColour()
    {
        // With the source's means as our mean, y = 0 is the source's zero, so even the zero padding agrees: the fold
        // (channel order, scale, shift into the BatchNorm) must then be exact through the whole network.
        var meanColour = new[] { 123.15f / 255, 115.90f / 255, 103.06f / 255 };
        var (maxAbs, maxRelative) = FoldedDifference(new ImageSpec(Size, Size, meanColour, [0.5f, 0.5f, 0.5f]));
        output.WriteLine($"folded stem, mean-colour spec: max abs {maxAbs:E2}, relative {maxRelative:E2}");
        Assert.True(maxAbs <= 1e-3 && maxRelative <= 1e-4, $"max abs {maxAbs:E2}, max relative {maxRelative:E2}");
    }

    [ImageNetWeightsFact]
    public void FoldedStem_OnTheAgeModelsInput_DiffersFromTheGraphOnlyByItsPadding()
    {
        // The trainer's input (RGB, (x / 255 - 0.5) / 0.5) pads the stem with mid grey where the source padded with
        // its mean colour (StemInputFolding): at most 24 grey levels in the 3-pixel border band. Measured on this
        // image: 1.1e-2 of the largest feature; the bound keeps a margin.
        var (maxAbs, maxRelative) = FoldedDifference(ImageSpec.Age(Size));
        output.WriteLine($"folded stem, age spec: max abs {maxAbs:E2}, relative {maxRelative:E2}");
        Assert.True(maxRelative <= 3e-2, $"max relative difference {maxRelative:E2}");
    }

    [ImageNetWeightsFact]
    public void FoldedStem_OnTheDepthModelsInput_ReproducesTheGraph_BecauseImageNetsMeanIsNearlyThePackagesOwn()
    {
        // The depth input (RGB, ImageNet mean and std: a different std per channel, so a channel-order slip in the
        // fold's scale shows) pads with ImageNet's mean colour, within 0.6 grey levels of the package's: the fold must
        // reproduce the graph almost as closely as with the package's own means.
        var spec = DepthImageNetInit.InputSpec(new DepthModelSpec(
            ResNetArchitecture.ResNet18ImageNet.Name, 1.0, Size, Size, 1.0));
        var (maxAbs, maxRelative) = FoldedDifference(spec);
        output.WriteLine($"folded stem, depth spec: max abs {maxAbs:E2}, relative {maxRelative:E2}");
        Assert.True(maxRelative <= 2e-3, $"max relative difference {maxRelative:E2}");
    }

    private static (double MaxAbs, double MaxRelative) FoldedDifference(ImageSpec spec)
    {
        var pixels = GeneratedImage();
        var expected = RunPackage(SourceInput(pixels));
        using var model = NewModel();
        ImageNetResNet18.Import(model.Encoder, ImageNetResNet18.ReadFile(ImageNetResNet18.DefaultPath), spec);
        int plane = Size * Size;
        var ours = pixels.Select((p, i) => (p / 255f - spec.Mean[i / plane]) / spec.Std[i / plane]).ToArray();
        return Differences(Features(model, ours), expected);
    }

    private static AgeRegressor NewModel()
    {
        var model = new AgeRegressor(new ModelSpec(ModelSpec.AgeTask, ResNetArchitecture.ResNet18ImageNet.Name, 1.0, Size));
        model.eval();
        return model;
    }

    /// <summary>RGB, CHW, 0-255: smooth shapes plus noise, deterministic.</summary>
    private static float[] GeneratedImage()
    {
        var rng = new Random(5);
        var pixels = new float[3 * Size * Size];
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < Size; y++)
            {
                for (int x = 0; x < Size; x++)
                {
                    double v = 128 + 70 * Math.Sin((x * (c + 1) + y * 2) / 17.0) + 40 * Math.Cos(Math.Sqrt((x - 100) * (x - 100) + (y - 90) * (y - 90)) / 9.0) + rng.Next(-20, 21);
                    pixels[(c * Size + y) * Size + x] = (float)Math.Clamp(Math.Round(v), 0, 255);
                }
            }
        }
        return pixels;
    }

    /// <summary>The package's input: BGR at 0-255 minus the per-channel means.</summary>
    private static float[] SourceInput(float[] rgb)
    {
        var bgr = new float[rgb.Length];
        int plane = Size * Size;
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < plane; i++) bgr[c * plane + i] = rgb[(2 - c) * plane + i] - (float)ImageNetResNet18.InputMeansBgr[c];
        }
        return bgr;
    }

    private static float[] RunPackage(float[] input)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(ImageNetResNet18.DefaultPath, options);
        using var runOptions = new RunOptions();
        using var value = OrtValue.CreateTensorValueFromMemory(input, [1, 3, Size, Size]);
        using var outputs = session.Run(runOptions, ["Input247"], [value], ["Pooling395_Output_0"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static float[] Features(AgeRegressor model, float[] input)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (_, features) = model.forward(tensor(input).reshape(1, 3, Size, Size));
        return features.flatten().data<float>().ToArray();
    }

    private static (double MaxAbs, double MaxRelative) Differences(float[] actual, float[] expected)
    {
        Assert.Equal(512, expected.Length);
        Assert.Equal(expected.Length, actual.Length);
        double maxAbs = actual.Zip(expected, (a, e) => Math.Abs((double)a - e)).Max();
        double scale = expected.Max(e => Math.Abs((double)e));
        Assert.True(scale > 0.1, "the graph's features must not be trivially small");
        return (maxAbs, maxAbs / scale);
    }
}
