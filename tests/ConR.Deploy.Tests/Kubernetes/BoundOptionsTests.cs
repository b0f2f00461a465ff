using ConR.Api.Options;
using ConR.Deploy.Tests.Support;

namespace ConR.Deploy.Tests.Kubernetes;

public sealed class BoundOptionsTests
{
    [Fact]
    public void Sections_AreTheOnesTheAppBinds()
    {
        Assert.Same(typeof(InferenceOptions), BoundOptions.Sections[InferenceOptions.SectionName]);
        Assert.Same(typeof(RateLimitOptions), BoundOptions.Sections[RateLimitOptions.SectionName]);
    }

    [Fact]
    public void Check_RealSettings_HasNoProblem()
    {
        Assert.Empty(BoundOptions.Check([
            ("Inference__Device", "cuda"),
            ("Inference__Models__0", "age"),
            ("Inference__MaxBatchSize", "32"),
            ("RateLimiting__TokenLimit", "500"),
        ]));
    }

    [Theory]
    [InlineData("Inference__Devise", "cuda", "Devise")]
    [InlineData("Inference__Device", "gpu", "gpu")]
    [InlineData("Inference__MaxBatchSize", "1000", "MaxBatchSize")]
    [InlineData("Inferense__Device", "cuda", "Inferense")]
    [InlineData("RateLimiting__Tokens", "5", "Tokens")]
    public void Check_MisspeltUnknownOrOutOfRange_IsAProblemNamingIt(string name, string value, string named)
    {
        var problem = Assert.Single(BoundOptions.Check([(name, value)]));

        Assert.Contains(named, problem, StringComparison.Ordinal);
    }
}
