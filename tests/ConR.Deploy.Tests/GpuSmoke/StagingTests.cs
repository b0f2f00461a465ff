using System.Security.Cryptography;
using ConR.Deploy.Tests.Support;
using Xunit.Abstractions;

namespace ConR.Deploy.Tests.GpuSmoke;

/// <summary>
/// tools/gpu-smoke/stage.sh and run.sh as a GPU machine would use them, on CPU: the staged files each fit one transfer,
/// run.sh puts the ONNX Runtime libraries back byte for byte, finds CUDA libraries inside a Python's site-packages,
/// and runs the tool to its table; a missing part stops it before anything runs.
/// </summary>
[Collection(nameof(SlowBuilds))]
public sealed class StagingTests(ITestOutputHelper output) : IDisposable
{
    private const long TransferLimit = 60L * 1024 * 1024;

    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("conr-gpu-smoke-");

    public void Dispose() => scratch.Delete(recursive: true);

    [Fact]
    public void StageThenRun_OnCpu_ReassemblesTheLibraries_FindsPythonCudaLibraries_AndPrintsTheTable()
    {
        var stage = Path.Combine(scratch.FullName, "stage");
        var staged = Bash(RepositoryRoot.Combine("tools", "gpu-smoke", "stage.sh"), [stage], TimeSpan.FromMinutes(15));
        Assert.True(staged.ExitCode == 0, staged.Describe("stage.sh"));

        var parts = Directory.GetFiles(Path.Combine(stage, "ort-native"), "ort-native.tar.gz.part-*").Order(StringComparer.Ordinal).ToList();
        Assert.True(parts.Count >= 2, $"{parts.Count} part(s): the CUDA provider alone is larger than one.");
        Assert.All(Directory.GetFiles(stage, "*", SearchOption.AllDirectories), f => Assert.True(new FileInfo(f).Length < TransferLimit, $"{f} is over 60 MiB."));
        Assert.Empty(Directory.GetFiles(Path.Combine(stage, "app"), "libonnxruntime*"));
        // Every bundled package, both of its files, and nothing else.
        var bundled = Directory.GetFiles(RepositoryRoot.Combine("models"), "model.*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryRoot.Combine("models"), f)).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("age/3/model.onnx", bundled);
        Assert.Equal(bundled,
            Directory.GetFiles(Path.Combine(stage, "models"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Path.Combine(stage, "models"), f)).Order(StringComparer.Ordinal));

        // A Python whose site-packages hold the CUDA 13 wheels' layout (nvidia/cu13/lib) and cuDNN's (nvidia/cudnn/lib).
        var site = Path.Combine(scratch.FullName, "venv", "lib", "python3.12", "site-packages");
        var cu13 = Directory.CreateDirectory(Path.Combine(site, "nvidia", "cu13", "lib")).FullName;
        var cudnn = Directory.CreateDirectory(Path.Combine(site, "nvidia", "cudnn", "lib")).FullName;
        File.WriteAllText(Path.Combine(cu13, "libcudart.so.13"), string.Empty);
        File.WriteAllText(Path.Combine(cudnn, "libcudnn.so.9"), string.Empty);
        var python = Path.Combine(scratch.FullName, "python");
        File.WriteAllText(python, $"#!/bin/sh\necho '{site}'\n");
        File.SetUnixFileMode(python, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var ran = Bash(Path.Combine(stage, "run.sh"), ["--device", "cpu", "--seconds", "0", "--min-runs", "1"], TimeSpan.FromMinutes(5), new() { ["PYTHON"] = python });
        output.WriteLine(ran.Output);
        Assert.True(ran.ExitCode == 0, ran.Describe("run.sh"));
        Assert.Contains($"Restored the ONNX Runtime libraries from {parts.Count} parts", ran.Output, StringComparison.Ordinal);
        Assert.Contains($"libcudart.so.13: {cu13}/libcudart.so.13", ran.Output, StringComparison.Ordinal);
        Assert.Contains($"libcudnn.so.9: {cudnn}/libcudnn.so.9", ran.Output, StringComparison.Ordinal);
        foreach (var batch in new[] { 1, 32, 256 })
        {
            Assert.Contains($"| age | CPUExecutionProvider | {batch} | 1 | ", ran.Output, StringComparison.Ordinal);
            Assert.Contains($"| depth | CPUExecutionProvider | {batch} | 1 | ", ran.Output, StringComparison.Ordinal);
        }

        Assert.EndsWith("PASSED", ran.Output.TrimEnd(), StringComparison.Ordinal);

        // Byte for byte what the package ships (the test's own build output has the same files).
        var shipped = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libonnxruntime_providers_cuda.so");
        Assert.Equal(Sha256(shipped), Sha256(Path.Combine(stage, "app", "libonnxruntime_providers_cuda.so")));

        // A lost part: run.sh stops before running anything.
        File.Delete(Path.Combine(stage, "app", ".ort-native-restored"));
        File.Delete(parts[^1]);
        var broken = Bash(Path.Combine(stage, "run.sh"), ["--device", "cpu"], TimeSpan.FromMinutes(1));
        Assert.Equal(2, broken.ExitCode);
        Assert.Contains("do not add up", broken.Error, StringComparison.Ordinal);
    }

    private static Processes.Result Bash(string script, IEnumerable<string> arguments, TimeSpan timeout, Dictionary<string, string?>? environment = null)
    {
        environment ??= [];
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["UseSharedCompilation"] = "false";
        return Processes.Run("bash", [script, .. arguments], RepositoryRoot.Path, timeout, environment);
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
