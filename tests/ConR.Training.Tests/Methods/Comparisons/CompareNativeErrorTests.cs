using System.Runtime.InteropServices;
using System.Text.Json;
using ConR.Training.Engine;
using ConR.Training.Methods.Comparisons;
using ConR.Training.Tests.Age;

namespace ConR.Training.Tests.Methods.Comparisons;

/// <summary>
/// A cell whose training fails inside libtorch (session 7: "Unknown scalar type" from TorchSharp's own BatchNorm,
/// a Scalar finalized during the native call) is resumed, not the end of the whole grid.
/// </summary>
[Collection(SeededTorchRuns.Name)]
public sealed class CompareNativeErrorTests
{
    // The exception TorchSharp raises for a libtorch error (its CheckForErrors), with the message session 7 met.
#pragma warning disable CA2201 // reserved by the runtime, but it is exactly what TorchSharp throws
    private static ExternalException LibTorchError() =>
        new("Unknown scalar type\nException raised from add_ at aten/src/ATen/native/BinaryOps.cpp");
#pragma warning restore CA2201

    [Fact]
    public void OneNativeError_TheCellIsTrainedAgain_AndReported()
    {
        using var data = new TinyAgeDataSet();
        var log = new StringWriter();
        var real = new ComparisonRunner(Path.Combine(data.Root, "native"), "cpu", log);
        var calls = new List<bool>();
        var runner = new ComparisonRunner(real.OutDir, "cpu", log)
        {
            TrainCellOverride = (cell, resume, cancellation) =>
            {
                calls.Add(resume);
                if (calls.Count == 1) throw LibTorchError();
                return real.TrainCell(cell, resume, cancellation);
            },
        };
        var cells = runner.Plan(data.Config(epochs: 1), [ComparisonMethod.Parse("vanilla")], withAndWithoutConR: false, seeds: 1);

        var outcome = Assert.Single(runner.Run(cells)!);

        Assert.Equal(CellStatus.Trained, outcome.Status);
        Assert.NotNull(outcome.Test);
        Assert.True(ComparisonRunner.IsFinished(new RunDirectory(cells[0].Folder)));
        Assert.Equal([false, false], calls);
        Assert.Contains("vanilla-s1: libtorch failed: Unknown scalar type; starting again (retry 1 of 2)", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void NativeErrorsAfterProgress_AreResumedEveryTime_TheBudgetIsForFailuresInARow()
    {
        using var data = new TinyAgeDataSet();
        var log = new StringWriter();
        var real = new ComparisonRunner(Path.Combine(data.Root, "native"), "cpu", log);
        int calls = 0;
        var runner = new ComparisonRunner(real.OutDir, "cpu", log)
        {
            TrainCellOverride = (cell, resume, cancellation) =>
            {
                var run = new RunDirectory(cell.Folder);
                if (++calls <= 2 * ComparisonRunner.NativeErrorRetries)
                {
                    // One more epoch checkpointed each time before the error, as a run that fails now and then does.
                    Directory.CreateDirectory(run.Root);
                    run.CommitCheckpoint(calls, dir => RunStateFile.Write(dir, new RunState<JsonElement> { CompletedEpochs = calls, BestMetric = "valMae" }));
                    throw LibTorchError();
                }
                Directory.Delete(run.Root, recursive: true);
                return real.TrainCell(cell, resume: false, cancellation);
            },
        };
        var cells = runner.Plan(data.Config(epochs: 1), [ComparisonMethod.Parse("vanilla")], withAndWithoutConR: false, seeds: 1);

        var outcome = Assert.Single(runner.Run(cells)!);

        Assert.Equal(1 + (2 * ComparisonRunner.NativeErrorRetries), calls);
        Assert.NotEqual(CellStatus.Failed, outcome.Status);
        Assert.NotNull(outcome.Test);
        Assert.DoesNotContain("retry 2 of 2", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void NativeErrorEveryTime_TheCellFailsAfterTheRetries_AndTheGridGoesOn()
    {
        using var data = new TinyAgeDataSet();
        var log = new StringWriter();
        var real = new ComparisonRunner(Path.Combine(data.Root, "native"), "cpu", log);
        int failing = 0;
        var runner = new ComparisonRunner(real.OutDir, "cpu", log)
        {
            TrainCellOverride = (cell, resume, cancellation) =>
            {
                if (cell.Seed == 1)
                {
                    failing++;
                    throw LibTorchError();
                }
                return real.TrainCell(cell, resume, cancellation);
            },
        };
        var cells = runner.Plan(data.Config(epochs: 1), [ComparisonMethod.Parse("vanilla")], withAndWithoutConR: false, seeds: 2);

        var outcomes = runner.Run(cells)!;

        Assert.Equal(1 + ComparisonRunner.NativeErrorRetries, failing);
        Assert.Equal([CellStatus.Failed, CellStatus.Trained], outcomes.Select(o => o.Status));
        Assert.Contains("2 resumes in a row got no further", outcomes[0].Error, StringComparison.Ordinal);
        Assert.Contains("vanilla-s1: libtorch failed: Unknown scalar type (2 resumes in a row got no further); left out of the table", log.ToString(), StringComparison.Ordinal);
    }
}
