using System.Text;

namespace ConR.Training.Engine;

/// <summary>
/// Splits one line of a split file (the tasks' CSV readers) into its fields: trimmed, optionally double-quoted (""
/// inside quotes is a literal quote); a record must fit on one line.
/// </summary>
internal static class CsvFields
{
    /// <summary>The line's fields; null when a quote is not closed on the line.</summary>
    public static List<string>? Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        bool started = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') field.Append(line[++i]);
                else quoted = false;
            }
            else if (c == '"' && !started)
            {
                field.Clear();
                quoted = started = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString().Trim());
                field.Clear();
                started = false;
            }
            else
            {
                field.Append(c);
                started |= !char.IsWhiteSpace(c);
            }
        }
        if (quoted) return null;
        fields.Add(field.ToString().Trim());
        return fields;
    }
}
