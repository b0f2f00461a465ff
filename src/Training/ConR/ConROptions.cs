namespace ConR.Training.ConR;

/// <summary>Which published form of the ConR objective to compute.</summary>
public enum ConRVariant
{
    /// <summary>The official age code: exp(0) denominator padding, mean over positives, anchor weight inside and outside.</summary>
    OfficialAge,

    /// <summary>The official NYUD2 code: per-sample means, linear pushing weight, divisor |K+|+1, no outer weight.</summary>
    OfficialDepth,

    /// <summary><see cref="OfficialAge"/> without the exp(0) padding; safe for single-view batches.</summary>
    Clean,
}

/// <summary>Hyper-parameters of ConR. Defaults are the official age settings (digest 1.5).</summary>
public sealed record ConROptions
{
    /// <summary>Label window w: pairs with |y_i - y_j| &lt;= w are positives; predictions within w make negatives.</summary>
    public double Window { get; init; } = 1.0;

    /// <summary>Temperature tau of the cosine similarities (the official age code hard-codes 0.07).</summary>
    public double Temperature { get; init; } = 0.07;

    /// <summary>Pushing scale e: weight w_j*exp(e*d) (age variants) or e*w_j*d (depth).</summary>
    public double PushingScale { get; init; } = 0.01;

    /// <summary>Which form of the loss to compute.</summary>
    public ConRVariant Variant { get; init; } = ConRVariant.OfficialAge;

    /// <summary>The official NYUD2 settings: w = 0.2 m on mean depth, tau = 0.2, e = 0.2.</summary>
    public static ConROptions Depth { get; } = new() { Window = 0.2, Temperature = 0.2, PushingScale = 0.2, Variant = ConRVariant.OfficialDepth };

    /// <summary>Throws when a value cannot produce a finite loss.</summary>
    public void Validate()
    {
        if (!(Window >= 0) || double.IsInfinity(Window)) throw new ArgumentOutOfRangeException(nameof(Window), Window, "window must be finite and >= 0");
        if (!(Temperature > 0) || double.IsInfinity(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "temperature must be finite and > 0");
        if (!(PushingScale >= 0) || double.IsInfinity(PushingScale)) throw new ArgumentOutOfRangeException(nameof(PushingScale), PushingScale, "pushing scale must be finite and >= 0");
    }
}
