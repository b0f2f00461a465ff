using ConR.Shared.Metrics.Depth;

namespace ConR.Training.Depth;

/// <summary>The eval report of one split (reports/eval-{split}.json).</summary>
public sealed record DepthEvalReport(string Split, int BestEpoch, long MaskedPixels, DepthDirTable Table, DepthDirTable AllValidPixels);
