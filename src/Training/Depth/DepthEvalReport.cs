using ConR.Shared.Metrics.Depth;

namespace ConR.Training.Depth;

/// <summary>The eval report of one split (reports/eval-{split}.json): <see cref="Table"/> is on the balanced mask that <see cref="Mask"/> describes.</summary>
public sealed record DepthEvalReport(string Split, int BestEpoch, long MaskedPixels, BalancedMaskSummary Mask, DepthDirTable Table, DepthDirTable AllValidPixels);
