using System.Text.Json;
using ConR.Training.Age;
using ConR.Training.Age.Losses;
using ConR.Training.Age.Models;
using ConR.Training.ConR;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Age;

/// <summary>
/// One training step of the real step code (<see cref="AgeStepForward"/>) against an independent float64 PyTorch
/// computation (Fixtures/conr-step/make_conr_step_fixture.py): a tiny ResNet-18 with fixed weights and fixed views,
/// the loss and every parameter gradient, for each arrangement of the views.
/// </summary>
[Collection(SeededTorchRuns.Name)] // building the model draws from torch's global generator
public sealed class ConRStepParityTests(ITestOutputHelper output)
{
    // Float32 here against float64 there, through a 20-layer network: 1e-4 of each tensor's scale.
    private const double Tolerance = 1e-4;

    public static TheoryData<string> Steps => new(ConRStepKinds.Names);

    [Theory]
    [MemberData(nameof(Steps))]
    public void OneStep_LossAndEveryGradient_MatchTheReference(string step)
    {
        var fixture = StepFixture.Load();
        var expected = fixture.Cases.Single(c => c.Step == step);
        using var scope = NewDisposeScope();
        using var model = fixture.Model();
        model.train();

        var kind = ConRStepKinds.Parse(step);
        var views = fixture.Views().Take(ConRStepKinds.ViewsPerSample(conr: true, kind)).ToArray();
        var outputs = AgeStepForward.Run(model.forward, views, fixture.LabelTensor(), fixture.WeightTensor(), conr: true, kind);
        var (loss, regression, conr) = AgeStepForward.Loss(
            outputs, (p, t, w) => RegressionLoss.Compute(RegressionLossKind.L1, p, t, w), fixture.Beta, fixture.Options);
        loss.backward();

        output.WriteLine($"{step}: loss {loss.item<float>():F6} (reference {expected.Loss:F6}), L_R {regression.item<float>():F6}, L_ConR {conr!.item<float>():F6}");
        AssertClose(expected.Loss, loss.item<float>(), "loss");
        AssertClose(expected.Regression, regression.item<float>(), "L_R");
        AssertClose(expected.ConR, conr.item<float>(), "L_ConR");
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(expected.Grads.Select(g => g.Name).Order(), parameters.Keys.Order());
        double worst = 0;
        foreach (var grad in expected.Grads)
        {
            var want = fixture.Floats(grad.Offset, (int)parameters[grad.Name].numel());
            var got = parameters[grad.Name].grad!.contiguous().data<float>().ToArray();
            double scale = Math.Max(1e-3, want.Max(v => Math.Abs((double)v)));
            double diff = want.Zip(got, (a, b) => Math.Abs((double)a - b)).Max();
            worst = Math.Max(worst, diff / scale);
            Assert.True(diff <= Tolerance * scale, $"{step}: d loss / d {grad.Name} differs by {diff:E2} (scale {scale:E2})");
        }
        output.WriteLine($"worst gradient difference: {worst:E2} of the tensor's scale");
    }

    [Fact]
    public void Fixture_HasNegativePairsInEveryStep_SoThePushingTermIsExercised()
    {
        var fixture = StepFixture.Load();
        Assert.Equal(ConRStepKinds.Names.Order(), fixture.Cases.Select(c => c.Step).Order());
        Assert.All(fixture.Cases, c => Assert.True(c.NegativePairs > 0, $"{c.Step} has no negative pairs"));
        Assert.Contains(fixture.Weights, w => w != 1f);
    }

    [Fact]
    public void Steps_DifferInTheirLoss_SoTheFixtureTellsThemApart()
    {
        var losses = StepFixture.Load().Cases.Select(c => Math.Round(c.Loss, 3)).ToList();
        Assert.Equal(losses.Count, losses.Distinct().Count());
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance * Math.Max(1, Math.Abs(expected)), $"{what}: {actual} vs reference {expected}");

    private sealed record StepFixture
    {
        private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };
        private float[] blob = [];
        private byte[] viewBytes = [];

        public string Architecture { get; init; } = "";
        public double Width { get; init; }
        public int ImageSize { get; init; }
        public int Batch { get; init; }
        public float[] Labels { get; init; } = [];
        public float[] Weights { get; init; } = [];
        public double Beta { get; init; }
        public double Window { get; init; }
        public double Temperature { get; init; }
        public double PushingScale { get; init; }
        public TensorEntry[] Parameters { get; init; } = [];
        public StepCase[] Cases { get; init; } = [];

        public ConROptions Options => new() { Window = Window, Temperature = Temperature, PushingScale = PushingScale, Variant = ConRVariant.OfficialAge };

        public static StepFixture Load()
        {
            string dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "conr-step");
            var fixture = JsonSerializer.Deserialize<StepFixture>(File.ReadAllText(Path.Combine(dir, "conr_step.json")), JsonOptions)!;
            var bytes = File.ReadAllBytes(Path.Combine(dir, "conr_step.bin"));
            fixture.blob = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, fixture.blob, 0, bytes.Length);
            fixture.viewBytes = File.ReadAllBytes(Path.Combine(dir, "conr_step_views.bin"));
            return fixture;
        }

        public float[] Floats(int offset, int count) => blob.AsSpan(offset, count).ToArray();

        public AgeRegressor Model()
        {
            var model = new AgeRegressor(new ModelSpec(ModelSpec.AgeTask, Architecture, Width, ImageSize));
            var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            Assert.Equal(Parameters.Select(p => p.Name).Order(), parameters.Keys.Order());
            using var noGrad = no_grad();
            foreach (var entry in Parameters)
            {
                var parameter = parameters[entry.Name];
                Assert.Equal(entry.Shape, parameter.shape);
                parameter.copy_(tensor(Floats(entry.Offset, (int)parameter.numel()), entry.Shape));
            }
            return model;
        }

        /// <summary>[B, 3, S, S] per view, normalised as the age spec does: (x / 255 - 0.5) / 0.5.</summary>
        public Tensor[] Views()
        {
            int length = Batch * 3 * ImageSize * ImageSize;
            return Enumerable.Range(0, 3)
                .Select(v => tensor(viewBytes.AsSpan(v * length, length).ToArray().Select(x => (x / 255f - 0.5f) / 0.5f).ToArray(), [Batch, 3, ImageSize, ImageSize]))
                .ToArray();
        }

        public Tensor LabelTensor() => tensor(Labels, [Batch, 1]);

        public Tensor WeightTensor() => tensor(Weights, [Batch, 1]);
    }

    private sealed record TensorEntry(string Name, long[] Shape, int Offset);

    private sealed record StepCase(string Step, double Loss, double Regression, double ConR, int NegativePairs, GradEntry[] Grads);

    private sealed record GradEntry(string Name, int Offset);
}
