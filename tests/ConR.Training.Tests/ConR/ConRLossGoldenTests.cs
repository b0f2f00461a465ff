using ConR.Training.ConR;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ConR.Training.Tests.ConR;

/// <summary>
/// ConRLoss.Compute against the float64 reference in Fixtures/conr (gen_conr_fixtures.py), in float32.
/// </summary>
public sealed class ConRLossGoldenTests(ITestOutputHelper output)
{
    private const double LossRelativeTolerance = 1e-4;
    private const double GradAbsoluteTolerance = 1e-4;
    private const double GradRelativeTolerance = 1e-3;

    public static TheoryData<string> FixtureNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in ConRFixture.Names()) data.Add(name);
            return data;
        }
    }

    [Fact]
    public void Fixtures_Directory_CoversEveryVariantWithEnoughCases()
    {
        var fixtures = ConRFixture.Names().Select(ConRFixture.Load).ToList();

        Assert.True(fixtures.Count >= 8, $"expected at least 8 fixtures, found {fixtures.Count}");
        foreach (var variant in Enum.GetValues<ConRVariant>())
            Assert.Contains(fixtures, f => f.Options.Variant == variant);
        Assert.Contains(fixtures, f => f.Weights is not null);
        Assert.Contains(fixtures, f => f.Weights is null);
        Assert.Contains(fixtures, f => f.FeaturesShape.Length == 4);
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Compute_GoldenFixture_MatchesReferenceLoss(string name)
    {
        using var scope = NewDisposeScope();
        var fixture = ConRFixture.Load(name);

        var loss = ConRLoss.Compute(fixture.FeaturesTensor(false), fixture.LabelsTensor(), fixture.PredictionsTensor(),
            fixture.WeightsTensor(), fixture.Options);

        Assert.Empty(loss.shape);
        var got = loss.ToDouble();
        Assert.True(fixture.ExpectedLoss > 0, $"{name}: fixture should exercise at least one anchor");
        var relative = Math.Abs(got - fixture.ExpectedLoss) / Math.Abs(fixture.ExpectedLoss);
        output.WriteLine($"{name}: loss {got:R} vs {fixture.ExpectedLoss:R}, relative error {relative:E3}");
        Assert.True(relative <= LossRelativeTolerance,
            $"{name}: loss {got:R}, expected {fixture.ExpectedLoss:R} (relative error {relative:E3})");
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Compute_GoldenFixture_MatchesReferenceFeatureGradient(string name)
    {
        using var scope = NewDisposeScope();
        var fixture = ConRFixture.Load(name);
        var features = fixture.FeaturesTensor(true);

        var loss = ConRLoss.Compute(features, fixture.LabelsTensor(), fixture.PredictionsTensor(), fixture.WeightsTensor(),
            fixture.Options);
        loss.backward();

        Assert.NotNull(features.grad);
        var grad = features.grad.data<float>().ToArray();
        Assert.Equal(fixture.ExpectedGrad.Length, grad.Length);
        Assert.Contains(fixture.ExpectedGrad, g => g != 0);
        var maxAbs = 0.0;
        var maxRel = 0.0;
        for (var i = 0; i < grad.Length; i++)
        {
            var error = Math.Abs(grad[i] - fixture.ExpectedGrad[i]);
            maxAbs = Math.Max(maxAbs, error);
            if (Math.Abs(fixture.ExpectedGrad[i]) > 1e-3) maxRel = Math.Max(maxRel, error / Math.Abs(fixture.ExpectedGrad[i]));
        }
        output.WriteLine($"{name}: max |grad error| {maxAbs:E3}, max relative {maxRel:E3} (entries above 1e-3)");
        for (var i = 0; i < grad.Length; i++)
        {
            var expected = fixture.ExpectedGrad[i];
            var error = Math.Abs(grad[i] - expected);
            Assert.True(error <= GradAbsoluteTolerance + (GradRelativeTolerance * Math.Abs(expected)),
                $"{name}: grad[{i}] = {grad[i]:R}, expected {expected:R} (abs error {error:E3})");
        }
    }
}
