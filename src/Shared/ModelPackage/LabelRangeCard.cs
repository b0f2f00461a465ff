namespace ConR.Shared.ModelPackage;

/// <summary>The labels the model can produce, in the card's units; predictions and intervals are clipped to it.</summary>
/// <param name="Min">Smallest label (0 years, or the depth sensor's minimum in metres).</param>
/// <param name="Max">Largest label; &gt; Min.</param>
public sealed record LabelRangeCard(double Min, double Max);
