using ConR.Api.Errors;
using ConR.Api.Onnx;
using ConR.Api.Options;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace ConR.GpuSmoke;

/// <summary>
/// The smoke test from end to end: every package of the repository loaded on the device, compared with CPU, timed.
/// Exit code 0 passed; 1 a parity or provider check failed; 2 bad arguments or a package did not load (with CUDA
/// asked for and not loadable, the loader's 422 says why: missing CUDA or cuDNN libraries, driver, ...).
/// </summary>
internal static class SmokeCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var (arguments, problem) = SmokeArguments.Parse(args);
        if (arguments is null)
        {
            (problem is null ? output : error).WriteLine(problem ?? SmokeArguments.Usage);
            return problem is null ? 0 : 2;
        }

        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console => console.SingleLine = true)
            .SetMinimumLevel(arguments.Verbose ? LogLevel.Information : LogLevel.Warning));
        var host = new SmokeHost(arguments, loggerFactory);
        var env = OrtEnv.Instance();
        output.WriteLine($"ONNX Runtime {env.GetVersionString()}; providers in this build: {string.Join(", ", env.GetAvailableProviders())}");
        output.WriteLine($"Device asked for: {arguments.Device.ToString().ToLowerInvariant()}; CUDA here: {(arguments.Device == InferenceDevice.Cpu ? "not asked for" : host.Factory.CudaUnavailableReason() ?? "loads")}");
        output.WriteLine($"Repository: {host.Repository}");

        var names = host.ModelNames();
        if (names.Count == 0)
        {
            error.WriteLine($"No model package in {host.Repository} (expected NAME/VERSION/model.onnx + model.json).");
            return 2;
        }

        var results = new List<ModelSmokeResult>();
        foreach (var name in names)
        {
            try
            {
                var model = host.Load(name);
                try
                {
                    results.Add(ModelSmoke.Run(model, host.Factory, arguments));
                }
                finally
                {
                    model.Retire();
                    model.Disposed.GetAwaiter().GetResult();
                }
            }
            catch (ApiProblemException ex)
            {
                error.WriteLine($"{name}: did not load: {ex.Message}");
                return 2;
            }
        }

        SmokeReport.Write(output, results);
        var failures = results.Where(r => !r.ParityHolds).Select(r => $"{r.Name}: outputs differ from CPU by {r.MaxRelativeDifference:0.00E+00}")
            .Concat(results.Where(r => arguments.Device == InferenceDevice.Cuda && r.Provider != OnnxBackendFactory.CudaProvider).Select(r => $"{r.Name}: runs on {r.Provider}, not CUDA"))
            .ToList();
        foreach (var failure in failures)
        {
            error.WriteLine($"FAILED {failure}");
        }

        output.WriteLine(failures.Count == 0 ? "PASSED" : "FAILED");
        return failures.Count == 0 ? 0 : 1;
    }
}
