using System.Text.Json.Nodes;
using ConR.Shared.Metrics;

namespace ConR.Shared.ModelPackage;

/// <summary>Evaluation results of the packaged model.</summary>
/// <param name="Val">DIR table on the validation split (label units), or null when the task reports differently.</param>
/// <param name="Test">DIR table on the test split, or null.</param>
/// <param name="Extra">Task-specific tables (e.g. depth's δ1 and RMSE), or null.</param>
public sealed record MetricsCard(DirTable? Val, DirTable? Test, JsonObject? Extra);
