namespace ConR.Training.Engine;

/// <summary>How a task picks its best epoch: the val metric <paramref name="Name"/>, lower being better.</summary>
/// <param name="Name">The metric as state.json names it (bestMetric), e.g. valMae.</param>
/// <param name="Label">The metric in log lines, e.g. "val MAE".</param>
/// <param name="Of">The metric's value in an epoch's val scores.</param>
public sealed record BestEpochRule<TScore>(string Name, string Label, Func<TScore, double> Of);
