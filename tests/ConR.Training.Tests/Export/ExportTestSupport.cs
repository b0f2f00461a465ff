using System.Diagnostics;
using ConR.Training.Age.Models;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConR.Training.Tests.Export;

/// <summary>Runs ONNX models with ONNX Runtime (CPU) and builds randomised TorchSharp models to compare against.</summary>
internal static class ExportTestSupport
{
    /// <summary>One float input, one float output, through the OrtValue API.</summary>
    public static (float[] Values, long[] Shape) RunOnnx(byte[] model, string inputName, float[] input, long[] shape, string outputName)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        return Run(session, inputName, input, shape, outputName);
    }

    public static (float[] Values, long[] Shape) Run(InferenceSession session, string inputName, float[] input, long[] shape, string outputName)
    {
        using var runOptions = new RunOptions();
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var outputs = session.Run(runOptions, [inputName], [value], [outputName]);
        var output = outputs[0];
        return (output.GetTensorDataAsSpan<float>().ToArray(), output.GetTensorTypeAndShape().Shape);
    }

    /// <summary>
    /// An age model with random weights and non-trivial batch norms: gamma and beta randomised, then a few train-mode
    /// forwards on random data so running_mean / running_var are neither 0 nor 1. Returned in eval mode.
    /// </summary>
    public static AgeRegressor RandomAgeModel(string architecture, double width, int size, int seed)
    {
        torch.random.manual_seed(seed);
        var model = new AgeRegressor(new ModelSpec(ModelSpec.AgeTask, architecture, width, size));
        // Bias 0 (not the label mean the trainer uses), so the output scale is the network's own, not a constant.
        WithRandomBatchNorms(model, () => model.InitializeRegressorBias(0), () => model.forward(randn(8, 3, size, size) * 0.8 + 0.1));
        return model;
    }

    /// <summary>
    /// Randomises every BatchNorm's gamma and beta, runs <paramref name="initialize"/>, then four train-mode
    /// <paramref name="forward"/> passes on random data so running_mean / running_var are neither 0 nor 1; leaves
    /// <paramref name="model"/> in eval mode. Draws from torch's global generator in that order.
    /// </summary>
    public static void WithRandomBatchNorms(nn.Module model, Action initialize, Action forward)
    {
        using (var noGrad = no_grad())
        using (var setup = NewDisposeScope())
        {
            foreach (var module in model.modules())
            {
                if (module is BatchNorm2d bn)
                {
                    bn.weight!.copy_(rand(bn.weight.shape) + 0.5);
                    bn.bias!.copy_(randn(bn.bias.shape) * 0.2);
                }
            }
            initialize();
            model.train();
            for (int i = 0; i < 4; i++)
            {
                using var scope = NewDisposeScope();
                forward();
            }
        }
        model.eval();
    }

    /// <summary>The TorchSharp eval-mode prediction [N, 1] as floats.</summary>
    public static float[] TorchPredict(AgeRegressor model, float[] input, long[] shape)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        var (prediction, _) = model.forward(tensor(input, shape));
        return prediction.contiguous().data<float>().ToArray();
    }

    public static float[] RandomInput(int count, int seed)
    {
        var rng = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = (float)((rng.NextDouble() * 2) - 1);
        return values;
    }

    /// <summary>Max |a - b| and the scale max |b| (at least 1e-6).</summary>
    public static (double MaxAbs, double Scale) Compare(float[] actual, float[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double maxAbs = 0, scale = 1e-6;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(float.IsFinite(actual[i]), $"ONNX output {i} is {actual[i]}");
            maxAbs = Math.Max(maxAbs, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return (maxAbs, scale);
    }

    /// <summary>Runs a program with arguments; returns exit code, stdout and stderr (null when it could not start).</summary>
    public static (int ExitCode, string Stdout, string Stderr)? RunProcess(string fileName, params string[] arguments)
    {
        if (!File.Exists(fileName)) return null;
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info);
        if (process is null) return null;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish in 2 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
