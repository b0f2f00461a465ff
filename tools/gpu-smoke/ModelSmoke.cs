using ConR.Api.Models;
using ConR.Api.Onnx;
using ConR.Api.Options;

namespace ConR.GpuSmoke;

/// <summary>One package's result: where it ran, how close it came to CPU, and how fast.</summary>
internal sealed record ModelSmokeResult(
    string Name,
    int Version,
    string Provider,
    int ParityBatch,
    double MaxRelativeDifference,
    IReadOnlyList<Throughput> Throughput,
    IReadOnlyList<int> Skipped)
{
    public bool ParityHolds => MaxRelativeDifference <= Parity.Tolerance;
}

/// <summary>Checks and times one loaded model version through its runner's primary session (never the CPU fallback).</summary>
internal static class ModelSmoke
{
    private const int ParityBatchSize = 32;

    public static ModelSmokeResult Run(LoadedModel model, IInferenceBackendFactory factory, SmokeArguments arguments)
    {
        var layout = model.Profile.Layout;
        var dynamic = model.Profile.DynamicBatch;

        // The primary session, as the scheduler runs it, but without the resilience pipeline: a failing CUDA run must
        // fail here, not be answered by the CPU fallback.
        void RunPrimary(float[] input, float[] output, int batch) =>
            model.Runner.RunPrimary(new InferenceBatch(layout.InputName, input, layout.InputShape(batch), layout.OutputName, output, layout.OutputShape(batch)), CancellationToken.None);

        var parityBatch = dynamic ? ParityBatchSize : 1;
        var fixture = FixtureBatch.Create(model.Profile, parityBatch);
        var actual = new float[parityBatch * layout.OutputLength];
        RunPrimary(fixture, actual, parityBatch);

        // The reference: a CPU session of the same file, from the API's own factory (same session options).
        var reference = new float[actual.Length];
        using (var cpu = factory.Create(Path.Combine(model.Folder, ModelRepositoryLayout.OnnxFile), InferenceDevice.Cpu))
        {
            cpu.Run(new InferenceBatch(layout.InputName, fixture, layout.InputShape(parityBatch), layout.OutputName, reference, layout.OutputShape(parityBatch)), CancellationToken.None);
        }

        var timed = new List<Throughput>();
        var skipped = new List<int>();
        foreach (var batch in arguments.Batches)
        {
            if (!dynamic && batch > 1)
            {
                // The card declares a fixed batch of 1: the service never forms larger ones for this model.
                skipped.Add(batch);
                continue;
            }

            var input = FixtureBatch.Create(model.Profile, batch);
            var output = new float[batch * layout.OutputLength];
            timed.Add(Throughput.Measure(() => RunPrimary(input, output, batch), batch, TimeSpan.FromSeconds(arguments.Seconds), arguments.MinRuns));
        }

        return new ModelSmokeResult(model.Name, model.Version, model.Runner.PrimaryProvider, parityBatch, Parity.MaxRelativeDifference(actual, reference), timed, skipped);
    }
}
