namespace ConR.Shared.Metrics;

/// <summary>DIR evaluation table: overall and per-shot error summaries. Serialises as an object with four <see cref="ErrorSummary"/> members.</summary>
/// <param name="All">Every test sample.</param>
/// <param name="Many">Samples whose label bin has many training samples.</param>
/// <param name="Median">Samples in median-shot bins.</param>
/// <param name="Few">Samples in few-shot bins (including labels unseen in training).</param>
public sealed record DirTable(ErrorSummary All, ErrorSummary Many, ErrorSummary Median, ErrorSummary Few)
{
    /// <summary>
    /// A Markdown table under a <c>###</c> heading: rows All/Many/Median/Few, columns n, MAE, MSE,
    /// GM with 2 decimals; an empty group shows "-".
    /// </summary>
    public string ToMarkdown(string title) =>
        ShotTableMarkdown.Write(title, "n", ["MAE", "MSE", "GM"], 2, [Row("All", All), Row("Many", Many), Row("Median", Median), Row("Few", Few)]);

    private static (string, long, double[]) Row(string shot, ErrorSummary s) => (shot, s.Count, [s.Mae, s.Mse, s.Gm]);
}
