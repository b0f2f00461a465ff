using System.Globalization;
using System.Text;

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
    public string ToMarkdown(string title)
    {
        var text = new StringBuilder();
        text.Append("### ").Append(title).Append('\n').Append('\n');
        text.Append("| Shot | Pixels | RMSE | MAE | AbsRel | log10 | δ1 | δ2 | δ3 |\n");
        text.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        AppendRow(text, "All", All);
        AppendRow(text, "Many", Many);
        AppendRow(text, "Median", Median);
        AppendRow(text, "Few", Few);
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, string name, DepthErrorSummary s)
    {
        text.Append(
            CultureInfo.InvariantCulture,
            $"| {name} | {s.Pixels} | {Format(s.Rmse)} | {Format(s.Mae)} | {Format(s.AbsRel)} | {Format(s.Log10)} | {Format(s.Delta1)} | {Format(s.Delta2)} | {Format(s.Delta3)} |\n");
    }

    private static string Format(double value) =>
        double.IsFinite(value) ? value.ToString("F3", CultureInfo.InvariantCulture) : "-";
}
