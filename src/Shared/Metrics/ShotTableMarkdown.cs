using System.Globalization;
using System.Text;

namespace ConR.Shared.Metrics;

/// <summary>
/// The Markdown form every DIR evaluation table shares: a <c>###</c> heading, then one row per shot group
/// (All, Many, Median, Few) with a count column and the task's metric columns; non-finite values show "-".
/// </summary>
public static class ShotTableMarkdown
{
    /// <param name="title">The heading.</param>
    /// <param name="countHeader">The count column's header ("n", "Pixels").</param>
    /// <param name="metricHeaders">The metric columns' headers.</param>
    /// <param name="decimals">Decimals of every metric value.</param>
    /// <param name="rows">All, Many, Median and Few, in that order: the count and the metric values.</param>
    public static string Write(string title, string countHeader, IReadOnlyList<string> metricHeaders, int decimals, IEnumerable<(string Shot, long Count, double[] Values)> rows)
    {
        var format = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.Append("### ").Append(title).Append("\n\n");
        text.Append("| Shot | ").Append(countHeader).Append(" | ").AppendJoin(" | ", metricHeaders).Append(" |\n");
        text.Append("|---|---:|").Append(string.Concat(Enumerable.Repeat("---:|", metricHeaders.Count))).Append('\n');
        foreach (var (shot, count, values) in rows)
        {
            text.Append("| ").Append(shot).Append(" | ").Append(count.ToString(CultureInfo.InvariantCulture));
            foreach (var value in values)
            {
                text.Append(" | ").Append(double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-");
            }

            text.Append(" |\n");
        }

        return text.ToString();
    }
}
