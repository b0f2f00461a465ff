using System.Runtime.InteropServices;
using System.Text.Json;
using ConR.Shared.Metrics;
using ConR.Training.Age;
using ConR.Training.Age.Data;
using ConR.Training.Engine;

namespace ConR.Training.Methods.Comparisons;

/// <summary>One run of the grid: a method, with or without ConR, one seed, in OUT/&lt;method&gt;[+conr]-s&lt;seed&gt;.</summary>
public sealed record ComparisonCell(ComparisonMethod Method, bool ConR, int Seed, string Folder, AgeTrainConfig Config);

/// <summary>How a cell ended in this invocation.</summary>
public enum CellStatus
{
    /// <summary>Finished in an earlier invocation: its reports were reused as they are.</summary>
    Reused,

    /// <summary>Trained from scratch now.</summary>
    Trained,

    /// <summary>Continued from its last checkpoint (an earlier invocation was interrupted).</summary>
    Resumed,

    /// <summary>Stopped by the divergence guard; left out of the table.</summary>
    Failed,

    /// <summary>Being trained by another process (lane) over the same folder; left to it.</summary>
    Elsewhere,
}

public sealed record CellOutcome(ComparisonCell Cell, CellStatus Status, DirTable? Test, string? Error);

/// <summary>
/// The grid of a comparison and the runner that fills it, sequentially and resumably. Several runners (processes)
/// may fill one folder together: each cell is trained by whichever takes its <see cref="CellClaim"/> first.
/// </summary>
public sealed class ComparisonRunner(string outDir, string deviceName, TextWriter log)
{
    public string OutDir { get; } = Path.GetFullPath(outDir);

    // Every cell trains on the same images: decode them once per invocation.
    private readonly AgeImageCache images = new();

    /// <summary>Gets how many cells reused the images decoded for an earlier cell.</summary>
    public int ImageCacheHits => images.Hits;

    /// <summary>
    /// How often in a row a cell whose training failed inside libtorch is resumed from its last checkpoint, without a
    /// new checkpoint in between, before it is left out of the table. TorchSharp 0.107 can free a Scalar it converted
    /// from a number while libtorch still reads it (see <see cref="CollectionFreeStep"/>), so a long grid can meet a
    /// one-off "Unknown scalar type" deep inside BatchNorm or the optimizer; a resumed epoch does not meet it again,
    /// while an error that returns before any progress (a real defect) stops the cell.
    /// </summary>
    public const int NativeErrorRetries = 2;

    /// <summary>Replaces <see cref="TrainCell"/> (tests inject failures with it).</summary>
    internal Func<ComparisonCell, bool, CancellationToken, int>? TrainCellOverride { get; init; }

    /// <summary>Trains (or resumes) one cell and returns the exit code.</summary>
    internal int TrainCell(ComparisonCell cell, bool resume, CancellationToken cancellation) =>
        TrainCellOverride is { } train
            ? train(cell, resume, cancellation)
            : AgeTrainingRun.Execute(cell.Config, cell.Folder, resume, deviceName, log, images, cancellation);

    /// <summary>Methods × (without, with ConR) × seeds 1..<paramref name="seeds"/>, in that nesting order.</summary>
    /// <param name="common">The flags every cell shares.</param>
    /// <param name="methods">The grid's methods.</param>
    /// <param name="withAndWithoutConR">Each method twice, without and with ConR (otherwise without only).</param>
    /// <param name="seeds">Seeds 1..N per cell.</param>
    /// <param name="equalImagePasses">
    /// Train the cells without ConR for as many backbone image-passes as the ConR cells (epochs times the views a ConR
    /// step passes per sample: 3 for the official step, 2 for two-view), instead of the same number of epochs.
    /// </param>
    /// <param name="betaWarmup">
    /// The ConR cells' beta warm-up (--beta-warmup); null: the default for their epochs, as `train age --conr` gives it.
    /// Resolved per cell because the common flags carry no --conr: cells without ConR get none.
    /// </param>
    public IReadOnlyList<ComparisonCell> Plan(
        AgeTrainConfig common, IReadOnlyList<ComparisonMethod> methods, bool withAndWithoutConR, int seeds, bool equalImagePasses = false,
        double? betaWarmup = null)
    {
        if (seeds < 1) throw new ConfigurationException("--seeds must be at least 1");
        var cells = new List<ComparisonCell>();
        foreach (var method in methods)
        {
            foreach (var conr in withAndWithoutConR ? new[] { false, true } : [false])
            {
                for (int seed = 1; seed <= seeds; seed++)
                {
                    var config = method.Apply(common, conr, seed);
                    if (equalImagePasses && !conr) config = config with { Epochs = EqualPassEpochs(common) };
                    config = config with { BetaWarmupEpochs = conr ? betaWarmup ?? AgeTrainConfig.DefaultBetaWarmup(conr: true, config.Epochs) : 0 };
                    try
                    {
                        config.Validate();
                    }
                    catch (ConfigurationException ex)
                    {
                        throw new ConfigurationException($"method {method.Name}{(conr ? "+conr" : "")}: {ex.Message}");
                    }
                    cells.Add(new ComparisonCell(method, conr, seed, Path.Combine(OutDir, method.Folder(conr, seed)), config));
                }
            }
        }
        return cells;
    }

    /// <summary>Epochs of a run without ConR that pass as many images through the backbone as <paramref name="common"/> with ConR.</summary>
    public static int EqualPassEpochs(AgeTrainConfig common) =>
        common.Epochs * ConRStepKinds.ViewsPerSample(conr: true, common.ConRStepKind());

    /// <summary>
    /// Runs every cell that has no test report yet: a folder with reports is reused, one with a config but no reports
    /// (an interrupted run) is resumed from its last checkpoint, an empty one is trained. Returns null when cancelled.
    /// </summary>
    public IReadOnlyList<CellOutcome>? Run(IReadOnlyList<ComparisonCell> cells, CancellationToken cancellation = default)
    {
        var outcomes = new List<CellOutcome>();
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            var run = new RunDirectory(cell.Folder);
            string name = Path.GetFileName(cell.Folder);
            string prefix = $"[{i + 1}/{cells.Count}] {name}";

            // Looked at before the claim (the common case, no lock taken) and again after it, for a cell another
            // process finished in between.
            bool ReuseIfFinished()
            {
                if (!IsFinished(run)) return false;
                CheckSameConfig(run, cell);
                log.WriteLine($"{prefix}: finished earlier, reusing its reports");
                outcomes.Add(new CellOutcome(cell, CellStatus.Reused, ReadTestTable(run), null));
                return true;
            }

            if (ReuseIfFinished()) continue;
            using var claim = CellClaim.TryTake(OutDir, name);
            if (claim is null)
            {
                log.WriteLine($"{prefix}: being trained by another process over this folder; left to it");
                outcomes.Add(new CellOutcome(cell, CellStatus.Elsewhere, null, null));
                continue;
            }
            if (ReuseIfFinished()) continue;
            bool resume = run.HasConfig;
            if (resume) CheckSameConfig(run, cell);
            log.WriteLine($"{prefix}: {(resume ? "resuming an interrupted run" : "training")}");
            bool resumed = resume;
            string? failure = null;
            int checkpointed = CheckpointedEpochs(run), failuresInARow = 0;
            while (true)
            {
                try
                {
                    if (TrainCell(cell, resume, cancellation) != 0) return null;
                    break;
                }
                catch (TrainingDivergedException ex)
                {
                    failure = $"training stopped: {ex.Message}";
                    break;
                }
                catch (ExternalException ex)
                {
                    string error = $"libtorch failed: {FirstLine(ex.Message)}";
                    int now = CheckpointedEpochs(run);
                    failuresInARow = now > checkpointed ? 1 : failuresInARow + 1; // a run that got further starts over
                    checkpointed = now;
                    if (failuresInARow > NativeErrorRetries)
                    {
                        failure = $"{error} ({NativeErrorRetries} resumes in a row got no further)";
                        break;
                    }
                    resume = resumed = run.HasConfig;
                    log.WriteLine($"{prefix}: {error}; {(resume ? "resuming from its last checkpoint" : "starting again")} (retry {failuresInARow} of {NativeErrorRetries})");
                }
            }
            if (failure is not null)
            {
                log.WriteLine($"{prefix}: {failure}; left out of the table");
                outcomes.Add(new CellOutcome(cell, CellStatus.Failed, null, failure));
                continue;
            }
            outcomes.Add(new CellOutcome(cell, resumed ? CellStatus.Resumed : CellStatus.Trained, ReadTestTable(run), null));
        }
        return outcomes;
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    // Epochs the cell's last checkpoint holds (0 before the first).
    private static int CheckpointedEpochs(RunDirectory run) =>
        run.LastCheckpointDir() is null ? 0 : RunStateFile.ReadLast<JsonElement>(run).CompletedEpochs;

    /// <summary>A run is finished when both evaluation reports exist (they are written after the last epoch).</summary>
    public static bool IsFinished(RunDirectory run) =>
        run.HasConfig && File.Exists(TestReportPath(run)) && File.Exists(Path.Combine(run.ReportsDir, "eval-val.json"));

    public static string TestReportPath(RunDirectory run) => Path.Combine(run.ReportsDir, "eval-test.json");

    /// <summary>The DIR table of a run's eval-test.json.</summary>
    public static DirTable ReadTestTable(RunDirectory run)
    {
        var path = TestReportPath(run);
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        if (!json.RootElement.TryGetProperty("table", out var table)) throw new ConfigurationException($"{path} has no DIR table");
        return table.Deserialize<DirTable>(RunDirectory.Json) ?? throw new ConfigurationException($"{path} has an empty DIR table");
    }

    // A folder written with other flags is not silently mixed into the table.
    private static void CheckSameConfig(RunDirectory run, ComparisonCell cell)
    {
        var saved = AgeTrainConfig.Read(run.ConfigPath);
        // --precision auto was resolved when the run started; config.json holds the choice.
        var precision = cell.Config.Precision == PrecisionChoice.Auto ? PrecisionChoice.Auto : saved.Precision;
        var comparable = saved with { Workers = cell.Config.Workers, Precision = precision };
        // Read records an unrecorded padding; so must the cell's config.
        var wanted = cell.Config.WithRecordedCropPadding();
        if (comparable != wanted)
            throw new ConfigurationException($"{run.Root} holds a run with other flags than this comparison's ({run.ConfigPath}: {TrainingCheckpoints.Differences(comparable, wanted)}); use another --out or remove that folder");
    }
}
