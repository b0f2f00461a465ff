namespace ConR.Shared.Metrics.Depth;

/// <summary>NYUD2-DIR evaluation table: overall and per-shot pixel metrics.</summary>
/// <param name="All">Every evaluated pixel.</param>
/// <param name="Many">Pixels whose ground-truth bin is a many-shot bin.</param>
/// <param name="Median">Pixels in median-shot bins.</param>
/// <param name="Few">Pixels in few-shot bins.</param>
public sealed record DepthDirTable(DepthErrorSummary All, DepthErrorSummary Many, DepthErrorSummary Median, DepthErrorSummary Few)
{
    /// <summary>
    /// A Markdown table under a <c>###</c> heading: rows All/Many/Median/Few, columns pixels, RMSE, MAE, AbsRel,
    /// log10, δ1, δ2, δ3 with 3 decimals; an empty group shows "-".
    /// </summary>
    public string ToMarkdown(string title) =>
        ShotTableMarkdown.Write(
            title,
            "Pixels",
            ["RMSE", "MAE", "AbsRel", "log10", "δ1", "δ2", "δ3"],
            3,
            [Row("All", All), Row("Many", Many), Row("Median", Median), Row("Few", Few)]);

    private static (string, long, double[]) Row(string shot, DepthErrorSummary s) =>
        (shot, s.Pixels, [s.Rmse, s.Mae, s.AbsRel, s.Log10, s.Delta1, s.Delta2, s.Delta3]);
}
