using ConR.Training.Engine;


namespace ConR.Training.Tests.Engine;

public sealed class PrecisionChoiceTests
{
    private const string Avx2Only = "flags : fpu sse sse2 avx avx2 fma bmi2";
    private const string WithBf16 = "flags : fpu avx2 avx512f avx512_bf16 avx512_vnni";

    [Theory]
    [InlineData("fp32")]
    [InlineData("bf16")]
    public void ExplicitPrecision_IsKept_AndNothingIsTimed(string precision)
    {
        var (chosen, reason) = PrecisionChoice.Resolve(precision, onCpu: true, Avx2Only, _ => throw new InvalidOperationException("timed"));
        Assert.Equal(precision, chosen);
        Assert.Contains("as given", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_WithoutNativeBf16_ChoosesFp32_WithoutTiming()
    {
        var (chosen, reason) = PrecisionChoice.Resolve(PrecisionChoice.Auto, onCpu: true, Avx2Only, _ => throw new InvalidOperationException("timed"));
        Assert.Equal("fp32", chosen);
        Assert.Contains("neither AVX-512 BF16 nor AMX", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_WithNoCpuInfo_ChoosesFp32() =>
        Assert.Equal("fp32", PrecisionChoice.Resolve(PrecisionChoice.Auto, onCpu: true, null, _ => 1).Precision);

    [Theory]
    [InlineData(100, 60, "bf16")]
    [InlineData(100, 95, "fp32")] // faster, but not by the required margin
    [InlineData(100, 2300, "fp32")] // the AVX2 EPYC's 23x
    public void Auto_WithNativeBf16_FollowsTheTimedProbe(double fp32Ms, double bf16Ms, string expected)
    {
        var (chosen, reason) = PrecisionChoice.Resolve(PrecisionChoice.Auto, onCpu: true, WithBf16, bf16 => bf16 ? bf16Ms : fp32Ms);
        Assert.Equal(expected, chosen);
        Assert.Contains($"bf16 {bf16Ms:F0} ms vs fp32 {fp32Ms:F0} ms", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_OnCuda_IsFp32() =>
        Assert.Equal("fp32", PrecisionChoice.Resolve(PrecisionChoice.Auto, onCpu: false, WithBf16, _ => 1).Precision);

    [Theory]
    [InlineData("fp32")]
    [InlineData("bf16")]
    public void ForRun_ExplicitPrecision_PassesThrough_WithoutReadingTheRunOrTiming(string precision)
    {
        var log = new StringWriter();
        string chosen = PrecisionChoice.ForRun(precision, () => throw new InvalidOperationException("read"), onCpu: true, _ => throw new InvalidOperationException("timed"), log);
        Assert.Equal(precision, chosen);
        Assert.Empty(log.ToString());
    }

    [Fact]
    public void ForRun_AutoOnAResumedRun_KeepsThePrecisionItWasStartedWith_WithoutTiming()
    {
        var log = new StringWriter();
        string chosen = PrecisionChoice.ForRun(PrecisionChoice.Auto, () => "bf16", onCpu: true, _ => throw new InvalidOperationException("timed"), log);
        Assert.Equal("bf16", chosen);
        Assert.Equal("Precision: bf16 (auto: the run was started with bf16)", log.ToString().Trim());
    }

    [Fact]
    public void ForRun_AutoOnANewRun_ResolvesAndSaysWhy()
    {
        var log = new StringWriter();
        string chosen = PrecisionChoice.ForRun(PrecisionChoice.Auto, () => null, onCpu: false, _ => throw new InvalidOperationException("timed"), log);
        Assert.Equal("fp32", chosen);
        Assert.Equal("Precision: fp32 (auto on CUDA: fp32)", log.ToString().Trim());
    }

    [Theory]
    [InlineData("flags : avx512_bf16", true)]
    [InlineData("flags : amx_bf16 amx_tile", true)]
    [InlineData("flags : avx512f avx512bw", false)]
    [InlineData("flags : xavx512_bf16x", false)]
    public void NativeBf16_IsReadFromWholeFlags(string flags, bool expected) => Assert.Equal(expected, PrecisionChoice.HasNativeBf16(flags));
}
