using System.Globalization;
using System.Text;
using ConR.Training.Engine;

namespace ConR.Training.Age.Data;

/// <summary>
/// Reads a DIR split file (docs/conr-digest.md §3.1): a header naming at least the columns age, path and split
/// (any order, extra columns ignored), then one image per line. Paths are relative to the data directory.
/// </summary>
/// <remarks>
/// Fields are trimmed and may be double-quoted ("" inside quotes is a literal quote); a record must fit on one line
/// (<see cref="CsvFields"/>). Blank lines are ignored. Labels use the invariant culture. Splits are case-sensitive, as in the official
/// pandas code (<c>df[df['split'] == 'train']</c>).
/// </remarks>
public static class DirCsvReader
{
    public static readonly IReadOnlySet<string> Splits = new HashSet<string>(StringComparer.Ordinal) { "train", "val", "test" };

    private static readonly string[] RequiredColumns = ["age", "path", "split"];

    /// <summary>The default plausibility bound for ages, in years.</summary>
    public const double DefaultMaxAge = 120;

    /// <param name="csvPath">The split file.</param>
    /// <param name="dataDir">The directory the image paths are relative to.</param>
    /// <param name="skipBad">
    /// false: the first bad row throws <see cref="DataFormatException"/>; true: bad rows are skipped and listed in
    /// <see cref="DirCsvReadResult.Skipped"/>. A bad header always throws.
    /// </param>
    /// <param name="maxLabel">Labels above this are bad rows (a typo such as 5000 for 50 would otherwise train silently).</param>
    public static DirCsvReadResult Read(string csvPath, string dataDir, bool skipBad, double maxLabel = DefaultMaxAge)
    {
        ArgumentException.ThrowIfNullOrEmpty(csvPath);
        ArgumentException.ThrowIfNullOrEmpty(dataDir);
        string name = Path.GetFileName(csvPath);
        if (!File.Exists(csvPath)) throw new DataFormatException($"{name}: split file not found at {Path.GetFullPath(csvPath)}.");
        string root = Path.GetFullPath(dataDir);

        var samples = new List<DirSample>();
        var skipped = new List<string>();
        int[]? columns = null;
        int columnCount = 0;
        int lineNumber = 0;
        foreach (string line in File.ReadLines(csvPath, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (columns is null)
            {
                var header = CsvFields.Split(line) ?? throw new DataFormatException($"{name}:{lineNumber}: header has an unterminated quote.");
                columns = FindColumns(header, name, lineNumber);
                columnCount = header.Count;
                continue;
            }

            var (sample, error) = ParseRow(line, lineNumber, columns, columnCount, root, maxLabel);
            if (sample is not null)
            {
                samples.Add(sample);
                continue;
            }
            string message = $"{name}:{lineNumber}: {error}";
            if (!skipBad) throw new DataFormatException(message);
            skipped.Add(message);
        }
        if (columns is null) throw new DataFormatException($"{name}:1: the file is empty; expected a header with age, path, split.");
        return new DirCsvReadResult(samples, skipped);
    }

    private static int[] FindColumns(List<string> header, string name, int lineNumber)
    {
        var columns = new int[RequiredColumns.Length];
        for (int k = 0; k < RequiredColumns.Length; k++)
        {
            columns[k] = header.FindIndex(h => string.Equals(h, RequiredColumns[k], StringComparison.OrdinalIgnoreCase));
            if (columns[k] < 0)
            {
                throw new DataFormatException(
                    $"{name}:{lineNumber}: header lacks column '{RequiredColumns[k]}' (found: {string.Join(", ", header)}).");
            }
        }
        return columns;
    }

    private static (DirSample? Sample, string? Error) ParseRow(string line, int lineNumber, int[] columns, int columnCount, string root, double maxLabel)
    {
        var fields = CsvFields.Split(line);
        if (fields is null) return (null, "unterminated quote.");
        if (fields.Count != columnCount) return (null, $"expected {columnCount} columns, found {fields.Count}.");

        string age = fields[columns[0]], path = fields[columns[1]], split = fields[columns[2]];
        if (!float.TryParse(age, NumberStyles.Float, CultureInfo.InvariantCulture, out float label))
            return (null, $"age '{age}' is not a number.");
        if (!float.IsFinite(label)) return (null, $"age '{age}' is not finite.");
        if (label < 0) return (null, $"age '{age}' is negative.");
        if (label > maxLabel) return (null, $"age '{age}' is above the plausible maximum {maxLabel.ToString(CultureInfo.InvariantCulture)} (a typo? raise --max-label if it is real).");
        if (!Splits.Contains(split)) return (null, $"split '{split}' is not one of train, val, test.");
        if (path.Length == 0) return (null, "path is empty.");

        string full = Path.GetFullPath(Path.Combine(root, path));
        if (!File.Exists(full)) return (null, $"image '{path}' not found (looked for {full}).");
        return (new DirSample(label, full, split, lineNumber), null);
    }
}
