using System.Text.Json;
using ConR.Training.ConR;
using TorchSharp;
using static TorchSharp.torch;

namespace ConR.Training.Tests.ConR;

/// <summary>
/// One golden case written by Fixtures/conr/gen_conr_fixtures.py: float32 inputs, options and the float64 reference
/// loss and d loss / d features computed with per-anchor loops straight from the digest formulas.
/// </summary>
public sealed record ConRFixture
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public string Variant { get; init; } = "";
    public double Window { get; init; }
    public double Temperature { get; init; }
    public double PushingScale { get; init; }
    public long[] FeaturesShape { get; init; } = [];
    public float[] Features { get; init; } = [];
    public long[] LabelsShape { get; init; } = [];
    public float[] Labels { get; init; } = [];
    public long[] PredictionsShape { get; init; } = [];
    public float[] Predictions { get; init; } = [];
    public long[]? WeightsShape { get; init; }
    public float[]? Weights { get; init; }
    public int Anchors { get; init; }
    public int AnchorsWithPositives { get; init; }
    public double ExpectedLoss { get; init; }
    public double[] ExpectedGrad { get; init; } = [];

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "conr");

    public ConROptions Options => new()
    {
        Window = Window,
        Temperature = Temperature,
        PushingScale = PushingScale,
        Variant = Enum.Parse<ConRVariant>(Variant),
    };

    public static IReadOnlyList<string> Names() =>
        System.IO.Directory.GetFiles(Directory, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();

    public static ConRFixture Load(string name)
    {
        var json = File.ReadAllText(Path.Combine(Directory, name + ".json"));
        return JsonSerializer.Deserialize<ConRFixture>(json, JsonOptions)
            ?? throw new InvalidDataException($"fixture {name} is empty");
    }

    public Tensor FeaturesTensor(bool requiresGrad) => torch.tensor(Features, FeaturesShape, requires_grad: requiresGrad);

    public Tensor LabelsTensor(bool requiresGrad = false) => torch.tensor(Labels, LabelsShape, requires_grad: requiresGrad);

    public Tensor PredictionsTensor(bool requiresGrad = false) => torch.tensor(Predictions, PredictionsShape, requires_grad: requiresGrad);

    public Tensor? WeightsTensor(bool requiresGrad = false) =>
        Weights is null || WeightsShape is null ? null : torch.tensor(Weights, WeightsShape, requires_grad: requiresGrad);
}
