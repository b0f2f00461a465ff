using ConR.Api.Onnx;
using ConR.Api.Options;
using ConR.Deploy.Tests.Support;
using ConR.GpuSmoke;

namespace ConR.Deploy.Tests.GpuSmoke;

/// <summary>The smoke tool's own path, in process: the API's loader, the CPU reference, the timing and the report.</summary>
public sealed class SmokeCommandTests
{
    private static readonly string Models = RepositoryRoot.Combine("models");

    [Fact]
    public void Run_OnCpu_LoadsEveryBundledPackage_PassesParity_AndTimesEachBatch()
    {
        var (exit, output, error) = Run("--models", Models, "--device", "cpu", "--batches", "1,4,32", "--seconds", "0", "--min-runs", "1");

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        foreach (var model in new[] { "age", "depth" })
        {
            // The newest version of each bundled model, what the service loads by default.
            int newest = Directory.GetDirectories(Path.Combine(Models, model)).Select(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).Max();
            Assert.True(newest >= 2, $"models/{model} has no version 2 or later");
            Assert.Contains($"| {model} | {newest} | CPUExecutionProvider | ", output, StringComparison.Ordinal);
            foreach (var batch in new[] { 1, 4, 32 })
            {
                Assert.Contains($"| {model} | CPUExecutionProvider | {batch} | 1 | ", output, StringComparison.Ordinal);
            }
        }

        Assert.DoesNotContain("FAILED", output, StringComparison.Ordinal);
        Assert.EndsWith("PASSED", output.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_OnCuda_RunsOnCuda_OrExitsTwoSayingWhyCudaDidNotLoad()
    {
        var cudaMissing = new OnnxBackendFactory(Microsoft.Extensions.Options.Options.Create(new InferenceOptions())).CudaUnavailableReason();

        var (exit, output, error) = Run("--models", Models, "--device", "cuda", "--batches", "1", "--seconds", "0", "--min-runs", "1");

        if (cudaMissing is null)
        {
            Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
            Assert.Contains("| age | 1 | CUDAExecutionProvider | ", output, StringComparison.Ordinal);
        }
        else
        {
            // The loader refuses the package (Inference:Device=cuda never falls back) and the reason is printed.
            Assert.Equal(2, exit);
            Assert.Contains("cannot run on CUDA", error, StringComparison.Ordinal);
            Assert.Contains(cudaMissing, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Run_OnAnEmptyRepository_ExitsTwo()
    {
        var empty = Directory.CreateTempSubdirectory("conr-empty-repo-");
        try
        {
            var (exit, _, error) = Run("--models", empty.FullName, "--device", "cpu");

            Assert.Equal(2, exit);
            Assert.Contains("No model package", error, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete();
        }
    }

    [Theory]
    [InlineData("--batches", "1,300")]
    [InlineData("--device", "gpu")]
    [InlineData("--seconds", "-1")]
    [InlineData("--frobnicate", "1")]
    public void Parse_WrongArguments_AreRefusedNamingThem(string flag, string value)
    {
        var (arguments, error) = SmokeArguments.Parse([flag, value]);

        Assert.Null(arguments);
        Assert.Contains(flag, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Defaults_AreCudaAtBatch1_32_256()
    {
        var (arguments, _) = SmokeArguments.Parse([]);

        Assert.Equal(InferenceDevice.Cuda, arguments!.Device);
        Assert.Equal([1, 32, 256], arguments.Batches);
    }

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = SmokeCommand.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
