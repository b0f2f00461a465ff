using ConR.Shared.Metrics;

namespace ConR.Shared.ModelPackage;

/// <summary>
/// The model.json that ships next to model.onnx: what the model computes, how to feed it, how it was trained
/// and evaluated, and how to turn a prediction into a calibrated interval. Read and written by
/// <see cref="ModelCardSerializer"/> (camelCase JSON), which validates on read.
/// </summary>
/// <param name="SchemaVersion">Card format version: <see cref="CurrentSchemaVersion"/>. Schema-1 files are upgraded on read (<see cref="ModelCardSerializer"/>).</param>
/// <param name="Name">Model name, e.g. "age-resnet18-conr".</param>
/// <param name="Version">Model version; ≥ 1.</param>
/// <param name="Task"><see cref="ModelTasks.Age"/> or <see cref="ModelTasks.Depth"/>.</param>
/// <param name="Units">Label units: <see cref="ModelTasks.Years"/> for age, <see cref="ModelTasks.Metres"/> for depth.</param>
/// <param name="Input">The ONNX input and its preprocessing.</param>
/// <param name="Outputs">The ONNX outputs; at least one.</param>
/// <param name="LabelRange">Possible labels, in <paramref name="Units"/>.</param>
/// <param name="TrainHistogram">Training label histogram with shot groups.</param>
/// <param name="Training">How the model was trained.</param>
/// <param name="DataSet">Training data and its licence.</param>
/// <param name="Metrics">Val/test DIR tables and task-specific extras.</param>
/// <param name="ValRangeErrors">Validation error per true-label range (e.g. 5-year bands), in order.</param>
/// <param name="Calibration">Interval calibrations per label mix and their test coverage.</param>
/// <param name="OnnxSha256">SHA-256 of model.onnx (64 hex characters); the serving API checks it before loading.</param>
/// <param name="GitCommit">Commit of the code that trained and exported the model.</param>
/// <param name="CreatedUtc">When the package was made.</param>
public sealed record ModelCard(
    int SchemaVersion,
    string Name,
    int Version,
    string Task,
    string Units,
    InputSpecCard Input,
    IReadOnlyList<OutputSpecCard> Outputs,
    LabelRangeCard LabelRange,
    HistogramCard TrainHistogram,
    TrainingCard Training,
    DataSetCard DataSet,
    MetricsCard Metrics,
    IReadOnlyList<RangeError> ValRangeErrors,
    CalibrationCard Calibration,
    string OnnxSha256,
    string GitCommit,
    DateTimeOffset CreatedUtc)
{
    /// <summary>
    /// The card format version this code writes. 2: <c>calibration</c> holds one calibration per label mix
    /// (<c>balanced</c>, <c>natural</c>), tables say what they are keyed by, and coverage reports add per-shot coverage
    /// and median half-widths.
    /// </summary>
    public const int CurrentSchemaVersion = 3;

    /// <summary>The oldest card format this code still reads: schema 1 (one calibration, read as the balanced one).</summary>
    public const int OldestReadableSchemaVersion = 1;

    /// <summary>
    /// Every problem that makes the card unusable, each "camelCase.json.path: what is wrong"; empty when valid.
    /// Null members are reported as missing rather than throwing.
    /// </summary>
    public IReadOnlyList<string> Validate() => ModelCardValidator.Problems(this);
}
