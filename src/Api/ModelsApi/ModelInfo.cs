using ConR.Api.Imaging;
using ConR.Api.Inference;
using ConR.Api.Models;
using ConR.Api.Options;
using ConR.Shared.Calibration;
using ConR.Shared.Metrics;
using ConR.Shared.ModelPackage;

namespace ConR.Api.ModelsApi;

/// <summary>A served model: state, version, execution provider, input spec, and the card's evaluation and calibration.</summary>
/// <param name="Name">The repository name.</param>
/// <param name="State">"ready", "loading", "failed" or "pending".</param>
/// <param name="Version">The version being served; null when none is loaded.</param>
/// <param name="AvailableVersions">The versions in the repository.</param>
/// <param name="LastError">Why the last load failed (the served version, if any, is unaffected).</param>
/// <param name="LastErrorAt">When it failed.</param>
/// <param name="Loaded">Details of the served version; null when none is loaded.</param>
internal sealed record ModelInfo(
    string Name,
    string State,
    int? Version,
    IReadOnlyList<int> AvailableVersions,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    LoadedModelInfo? Loaded);

/// <summary>The served version of a model.</summary>
/// <param name="Task">"age" or "depth".</param>
/// <param name="Units">"years" or "metres".</param>
/// <param name="ExecutionProvider">The provider batches run on now (CPUExecutionProvider while a CUDA model is on its CPU fallback).</param>
/// <param name="LoadedOn">The provider the model was loaded on.</param>
/// <param name="CpuFallback">The CUDA-to-CPU fallback's state (active only for a model loaded on CUDA).</param>
/// <param name="LoadedAt">When this version became current.</param>
/// <param name="MaxBatchSize">Images per run at most.</param>
/// <param name="QueueDepth">Images waiting now.</param>
/// <param name="Input">The input tensor and its preprocessing.</param>
/// <param name="Outputs">The output tensors.</param>
/// <param name="LabelRange">Predictions and intervals are clipped to it.</param>
/// <param name="Metrics">The card's DIR tables (val, test) and task extras.</param>
/// <param name="Ranges">Validation error per true-label range.</param>
/// <param name="Calibration">The interval calibrations, one per label mix, with their tables and test coverage.</param>
/// <param name="TrainHistogram">The training histogram's binning and shot thresholds.</param>
/// <param name="DataSet">The training data and its terms.</param>
/// <param name="Training">How the model was trained.</param>
/// <param name="Package">Card name, digest, commit and date.</param>
internal sealed record LoadedModelInfo(
    string Task,
    string Units,
    string ExecutionProvider,
    string LoadedOn,
    FallbackStatus CpuFallback,
    DateTimeOffset LoadedAt,
    int MaxBatchSize,
    int QueueDepth,
    InputSpecCard Input,
    IReadOnlyList<OutputSpecCard> Outputs,
    LabelRangeCard LabelRange,
    MetricsCard Metrics,
    IReadOnlyList<RangeError> Ranges,
    CalibrationInfo Calibration,
    HistogramInfo TrainHistogram,
    DataSetInfo DataSet,
    TrainingInfo Training,
    PackageInfo Package);

/// <summary>The interval calibrations of the served version, one per label mix (the `mix` query of /v1/age and /v1/depth).</summary>
/// <param name="DefaultMix">The mix answers use when a request names none: "natural".</param>
/// <param name="Mixes">The mixes the card has calibrations for: "balanced", and "natural" for cards of schema 2 on.</param>
/// <param name="Note">How a request for a mix the card lacks is answered; null when it has both.</param>
/// <param name="Balanced">For every label range alike (the DIR view); covers rare true labels too.</param>
/// <param name="Natural">For the training split's label mix; null for a card from before schema 2.</param>
internal sealed record CalibrationInfo(string DefaultMix, IReadOnlyList<string> Mixes, string? Note, MixCalibrationInfo Balanced, MixCalibrationInfo? Natural);

/// <summary>One label mix's calibration table and its coverage on the test split.</summary>
/// <param name="Method">How it was fitted and measured, in words.</param>
/// <param name="KeyedBy">What the ranges partition: "prediction" (Mondrian by predicted range) or "label" (the true label; label-conditional).</param>
/// <param name="Levels">The calibrated levels.</param>
/// <param name="Ranges">Per range: edges, validation count (and effective count when weighted), half-width per level.</param>
/// <param name="Scale">Label-keyed tables fitted normalised: the difficulty curve s(y) per label cell that a range's half-width
/// multiplies (a label y allows |y - prediction| &lt;= q·s(y)); null for plain tables.</param>
/// <param name="TestCoverage">Measured coverage per level: overall, per range, per predicted range (label-keyed tables), per
/// true-label shot with median half-widths (schema 2), importance-weighted for the natural mix (null where no test sample fell).</param>
/// <param name="TargetMet">Whether the coverage target was met.</param>
/// <param name="TargetNote">The target and outcome in words.</param>
internal sealed record MixCalibrationInfo(
    string Method,
    string KeyedBy,
    IReadOnlyList<double> Levels,
    IReadOnlyList<CalibrationRange> Ranges,
    LabelScale? Scale,
    CoverageReport TestCoverage,
    bool TargetMet,
    string TargetNote);

/// <summary>The training label histogram: what the demo page draws an answer over.</summary>
/// <param name="BinWidth">Bin width in label units.</param>
/// <param name="Start">Lower edge of bin 0.</param>
/// <param name="Bins">Number of bins.</param>
/// <param name="ThresholdUnit">What the counts count: "samples" (age) or "pixels" (depth).</param>
/// <param name="Thresholds">The shot cut-offs.</param>
/// <param name="Counts">Training count per bin.</param>
/// <param name="Shots">Shot per bin: "many", "median" or "few".</param>
internal sealed record HistogramInfo(double BinWidth, double Start, int Bins, string ThresholdUnit, ShotThresholds Thresholds, IReadOnlyList<long> Counts, IReadOnlyList<string> Shots);

/// <summary>The training data set.</summary>
internal sealed record DataSetInfo(string Name, string Licence);

/// <summary>Training summary.</summary>
internal sealed record TrainingInfo(string Architecture, double Width, int ImageSize, string Loss, ConRCard ConR, string Reweight, bool Lds, int Epochs, int BestEpoch);

/// <summary>The package's identity.</summary>
internal sealed record PackageInfo(string CardName, int CardVersion, string OnnxSha256, string GitCommit, DateTimeOffset CreatedUtc);

internal static class ModelInfoMapper
{
    public static ModelInfo From(ModelSlot slot, IReadOnlyList<int> versions)
    {
        using var lease = slot.TryAcquire();
        return new ModelInfo(slot.Name, slot.State, lease?.Model.Version, versions, slot.LastError, slot.LastErrorAt, lease is null ? null : Loaded(lease.Model));
    }

    public static LoadedModelInfo Loaded(LoadedModel model)
    {
        var card = model.Profile.Card;
        var calibration = card.Calibration;
        return new LoadedModelInfo(
            card.Task,
            card.Units,
            model.Runner.ExecutionProvider,
            model.Runner.PrimaryProvider,
            model.Runner.Fallback,
            model.LoadedAt,
            model.Profile.DynamicBatch ? model.Scheduler.MaxBatchSize : 1,
            model.Scheduler.Waiting,
            card.Input,
            card.Outputs,
            card.LabelRange,
            card.Metrics,
            card.ValRangeErrors,
            Calibration(calibration),
            new HistogramInfo(card.TrainHistogram.BinWidth, card.TrainHistogram.Start, card.TrainHistogram.Counts.Count, card.TrainHistogram.ThresholdUnit, card.TrainHistogram.Thresholds, card.TrainHistogram.Counts, card.TrainHistogram.Shots),
            new DataSetInfo(card.DataSet.Name, card.DataSet.Licence),
            new TrainingInfo(card.Training.Architecture, card.Training.Width, card.Training.ImageSize, card.Training.Loss, card.Training.ConR, card.Training.Reweight, card.Training.Lds, card.Training.Epochs, card.Training.BestEpoch),
            new PackageInfo(card.Name, card.Version, card.OnnxSha256, card.GitCommit, card.CreatedUtc));
    }

    private static CalibrationInfo Calibration(CalibrationCard calibration)
    {
        var (_, defaultUsed) = calibration.Resolve(InferenceOptions.DefaultMix);
        return new CalibrationInfo(
            InferenceOptions.DefaultMix,
            [.. calibration.Present().Select(p => p.Mix)],
            Mixes.FallbackNote(InferenceOptions.DefaultMix, defaultUsed),
            Mix(calibration.Balanced),
            calibration.Natural is null ? null : Mix(calibration.Natural));
    }

    private static MixCalibrationInfo Mix(MixCalibrationCard mix) => new(
        mix.Method, mix.Table.Options.KeyedBy, mix.Table.Options.Levels, mix.Table.Ranges, mix.Table.Scale, mix.TestCoverage, mix.TargetMet, mix.TargetNote);
}
