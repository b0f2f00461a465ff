namespace ConR.Training.Engine;

/// <summary>Spots a NaN/infinite loss at once, and an explosion against the median of the recent steps.</summary>
public sealed class DivergenceGuard(double explodeFactor, int window = 50, int warmup = 20)
{
    private readonly Queue<double> recent = new();

    /// <summary>Returns a description of the problem, or null when the loss looks healthy (and records it).</summary>
    public string? Check(double loss)
    {
        if (!double.IsFinite(loss)) return $"loss is {loss}";
        if (recent.Count >= warmup)
        {
            var median = recent.Order().ElementAt(recent.Count / 2);
            if (loss > explodeFactor * Math.Max(median, 1e-6)) return $"loss exploded to {loss:G4} (recent median {median:G4})";
        }
        recent.Enqueue(loss);
        if (recent.Count > window) recent.Dequeue();
        return null;
    }
}
