using System.Globalization;
using System.Text;

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
    public string ToMarkdown(string title)
    {
        var text = new StringBuilder();
        text.Append("### ").Append(title).Append('\n').Append('\n');
        text.Append("| Shot | n | MAE | MSE | GM |\n");
        text.Append("|---|---:|---:|---:|---:|\n");
        AppendRow(text, "All", All);
        AppendRow(text, "Many", Many);
        AppendRow(text, "Median", Median);
        AppendRow(text, "Few", Few);
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, string name, ErrorSummary summary)
    {
        text.Append(CultureInfo.InvariantCulture, $"| {name} | {summary.Count} | {Format(summary.Mae)} | {Format(summary.Mse)} | {Format(summary.Gm)} |\n");
    }

    private static string Format(double value) =>
        double.IsFinite(value) ? value.ToString("F2", CultureInfo.InvariantCulture) : "-";
}
