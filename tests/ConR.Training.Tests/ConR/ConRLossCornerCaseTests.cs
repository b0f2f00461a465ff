using ConR.Training.ConR;
using TorchSharp;
using static TorchSharp.torch;

namespace ConR.Training.Tests.ConR;

/// <summary>Degenerate batches, numerical extremes, gradient routing and argument validation of ConRLoss.</summary>
public sealed class ConRLossCornerCaseTests
{
    private static readonly ConROptions Age = new();
    private static readonly ConROptions Clean = new() { Variant = ConRVariant.Clean };
    private static readonly ConROptions Depth = ConROptions.Depth;

    public static TheoryData<ConRVariant> Variants => new(Enum.GetValues<ConRVariant>());

    private static ConROptions OptionsFor(ConRVariant variant) => variant switch
    {
        ConRVariant.OfficialAge => Age,
        ConRVariant.Clean => Clean,
        _ => Depth,
    };

    private static Tensor RandomFeatures(long n, long dim, int seed, double scale = 1.0)
    {
        var random = new Random(seed);
        var data = new float[n * dim];
        for (var i = 0; i < data.Length; i++) data[i] = (float)(scale * ((random.NextDouble() * 2) - 1));
        return torch.tensor(data, new[] { n, dim }, requires_grad: true);
    }

    private static Tensor Column(params float[] values) => torch.tensor(values, new long[] { values.Length, 1 });

    private static void AssertAllFinite(Tensor t, string what)
    {
        Assert.True(t.isfinite().all().item<bool>(), $"{what} has NaN or Inf: {t.ToString(TorchSharp.TensorStringStyle.Julia)}");
    }

    private static (Tensor Loss, Tensor Grad) LossAndGrad(Tensor features, Tensor labels, Tensor predictions, Tensor? weights,
        ConROptions options)
    {
        var loss = ConRLoss.Compute(features, labels, predictions, weights, options);
        loss.backward();
        Assert.NotNull(features.grad);
        return (loss, features.grad);
    }

    [Fact]
    public void Compute_CleanWithUniqueLabelsAndOneView_ReturnsFiniteZero()
    {
        using var scope = NewDisposeScope();
        // Labels 5 apart (no positives); equal predictions make every pair a negative.
        var features = RandomFeatures(6, 4, 1);
        var labels = Column(0, 5, 10, 15, 20, 25);
        var predictions = Column(3, 3, 3, 3, 3, 3);

        var (loss, grad) = LossAndGrad(features, labels, predictions, null, Clean);

        Assert.Equal(0.0, loss.ToDouble());
        AssertAllFinite(grad, "grad");
        Assert.Equal(0.0, grad.abs().max().ToDouble());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Compute_PredictionsFarApart_ReturnsExactlyZero(ConRVariant variant)
    {
        using var scope = NewDisposeScope();
        var features = RandomFeatures(6, 4, 2);
        var labels = Column(1, 1, 2, 5, 5, 9);
        var predictions = Column(0, 100, 200, 300, 400, 500);

        var (loss, grad) = LossAndGrad(features, labels, predictions, null, OptionsFor(variant));

        Assert.Equal(0.0, loss.ToDouble());
        Assert.Equal(0.0, grad.abs().max().ToDouble());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Compute_AllLabelsEqual_ReturnsExactlyZero(ConRVariant variant)
    {
        using var scope = NewDisposeScope();
        var features = RandomFeatures(5, 3, 3);
        var labels = Column(4, 4, 4, 4, 4);
        var predictions = Column(4, 4.1f, 3.9f, 4, 4.05f);

        var (loss, grad) = LossAndGrad(features, labels, predictions, null, OptionsFor(variant));

        Assert.Equal(0.0, loss.ToDouble());
        Assert.Equal(0.0, grad.abs().max().ToDouble());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Compute_SingleSample_ReturnsZeroWithFiniteGradient(ConRVariant variant)
    {
        using var scope = NewDisposeScope();
        var features = RandomFeatures(1, 4, 4);

        var (loss, grad) = LossAndGrad(features, Column(3), Column(3), Column(2), OptionsFor(variant));

        Assert.Equal(0.0, loss.ToDouble());
        AssertAllFinite(grad, "grad");
    }

    [Theory]
    [InlineData(ConRVariant.OfficialAge, 1e4)]
    [InlineData(ConRVariant.OfficialAge, 1e15)]
    [InlineData(ConRVariant.Clean, 1e15)]
    [InlineData(ConRVariant.OfficialDepth, 1e15)]
    [InlineData(ConRVariant.OfficialAge, 1e-20)]
    [InlineData(ConRVariant.OfficialAge, 1e20)]
    public void Compute_ExtremeFeatureScale_StaysFinite(ConRVariant variant, double scale)
    {
        using var scope = NewDisposeScope();
        var features = RandomFeatures(8, 5, 5, scale);
        var labels = Column(0, 0, 1, 1, 2, 2, 3, 3);
        var predictions = Column(0, 0.5f, 0.5f, 1, 1.5f, 1.5f, 2, 2.5f);

        var (loss, grad) = LossAndGrad(features, labels, predictions, null, OptionsFor(variant));

        AssertAllFinite(loss, "loss");
        AssertAllFinite(grad, "grad");
        Assert.True(loss.ToDouble() > 0);
    }

    [Theory]
    [InlineData(ConRVariant.OfficialAge, 10.0)]
    [InlineData(ConRVariant.Clean, 10.0)]
    [InlineData(ConRVariant.OfficialDepth, 1e6)]
    public void Compute_HugePushingScale_StaysFinite(ConRVariant variant, double pushingScale)
    {
        using var scope = NewDisposeScope();
        var features = RandomFeatures(6, 4, 6);
        var labels = Column(0, 0, 10, 10, 20, 20);
        var predictions = Column(5, 5, 5, 5, 5, 5);
        var options = OptionsFor(variant) with { PushingScale = pushingScale, Window = 1 };

        var (loss, grad) = LossAndGrad(features, labels, predictions, null, options);

        AssertAllFinite(loss, "loss");
        AssertAllFinite(grad, "grad");
    }

    [Fact]
    public void Compute_ZeroFeatureRow_StaysFinite()
    {
        using var scope = NewDisposeScope();
        var features = torch.tensor(new float[] { 0, 0, 0, 1, 2, 3, -1, 0.5f, 2, 0.3f, -2, 1 }, new long[] { 4, 3 },
            requires_grad: true);

        var (loss, grad) = LossAndGrad(features, Column(0, 0, 1, 3), Column(0, 0.2f, 0.4f, 0.6f), null, Age);

        AssertAllFinite(loss, "loss");
        AssertAllFinite(grad, "grad");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Compute_LabelsAsVectorOrColumn_GiveSameLoss(ConRVariant variant)
    {
        using var scope = NewDisposeScope();
        var features = RandomFeatures(8, 5, 7);
        float[] labels = [0, 0, 1, 1, 2, 2, 3, 3];
        float[] predictions = [0, 0.5f, 0.5f, 1, 1.5f, 1.5f, 2, 2.5f];
        float[] weights = [1, 2, 0.5f, 1.5f, 3, 1, 2.5f, 0.75f];
        var options = OptionsFor(variant) with { Window = 1 };

        var column = ConRLoss.Compute(features, Column(labels), Column(predictions), Column(weights), options).ToDouble();
        var vector = ConRLoss.Compute(features, torch.tensor(labels), torch.tensor(predictions), torch.tensor(weights), options)
            .ToDouble();

        Assert.True(column > 0);
        Assert.Equal(column, vector);
    }

    [Fact]
    public void Compute_DepthPixelMapsWithConstantMaps_EqualPerSampleValues()
    {
        using var scope = NewDisposeScope();
        var features = RandomFeatures(5, 12, 8);
        float[] labels = [1.0f, 1.1f, 1.5f, 1.55f, 2.0f];
        float[] predictions = [1.3f, 1.15f, 1.4f, 1.9f, 1.75f];
        float[] weights = [1, 2, 0.5f, 1.5f, 3];
        Tensor Map(float[] values) => torch.tensor(values).reshape(5, 1, 1, 1).expand(5, 1, 3, 4).contiguous();

        var perSample = ConRLoss.Compute(features, torch.tensor(labels), torch.tensor(predictions), torch.tensor(weights), Depth);
        var perPixel = ConRLoss.Compute(features.reshape(5, 3, 2, 2), Map(labels), Map(predictions), Map(weights), Depth);

        Assert.True(perSample.ToDouble() > 0);
        Assert.Equal(perSample.ToDouble(), perPixel.ToDouble(), 6);
    }

    [Theory]
    [InlineData(5, 6, 6, 6)]
    [InlineData(6, 5, 6, 6)]
    [InlineData(6, 6, 5, 6)]
    [InlineData(6, 6, 6, 7)]
    public void Compute_MismatchedBatchSizes_ThrowsArgumentException(int features, int labels, int predictions, int weights)
    {
        using var scope = NewDisposeScope();
        var x = RandomFeatures(features, 4, 9);
        var y = torch.arange(labels, ScalarType.Float32);
        var p = torch.arange(predictions, ScalarType.Float32);
        var w = torch.ones(weights);

        Assert.Throws<ArgumentException>(() => ConRLoss.Compute(x, y, p, w, Age));
    }

    [Theory]
    [InlineData(-0.07)]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Compute_NonPositiveOrNonFiniteTemperature_Throws(double temperature)
    {
        using var scope = NewDisposeScope();
        var options = Age with { Temperature = temperature };

        Assert.ThrowsAny<ArgumentException>(() =>
            ConRLoss.Compute(RandomFeatures(4, 3, 10), Column(0, 1, 2, 3), Column(0, 1, 2, 3), null, options));
    }

    [Fact]
    public void Compute_NullOptions_ThrowsArgumentNullException()
    {
        using var scope = NewDisposeScope();

        Assert.Throws<ArgumentNullException>(() =>
            ConRLoss.Compute(RandomFeatures(4, 3, 11), Column(0, 1, 2, 3), Column(0, 1, 2, 3), null, null!));
    }
}
