using System.Globalization;

namespace ConR.Recalibrate;

/// <summary>One face of a DIR split file: its age, its image and its split.</summary>
internal sealed record AgeRow(double Age, string ImagePath, string Split);

/// <summary>
/// The val and test rows of a DIR split file (<c>age,path,split</c> with a header; paths relative to the data folder),
/// in file order, as the trainer reads them. Every row of those splits must be usable: a reproduction that silently
/// dropped faces would not be one.
/// </summary>
internal sealed record AgeSplits(IReadOnlyList<AgeRow> Val, IReadOnlyList<AgeRow> Test)
{
    /// <exception cref="RecalibrationInputException">The file is missing or a val/test row is malformed or names a missing image.</exception>
    public static AgeSplits Read(string csvPath, string dataDir)
    {
        if (!File.Exists(csvPath))
        {
            throw new RecalibrationInputException($"Split file {csvPath} not found.");
        }

        var name = Path.GetFileName(csvPath);
        using var lines = File.ReadLines(csvPath).GetEnumerator();
        var header = lines.MoveNext() ? CsvFields.Split(lines.Current) : null;
        int ageColumn = header?.IndexOf("age") ?? -1, pathColumn = header?.IndexOf("path") ?? -1, splitColumn = header?.IndexOf("split") ?? -1;
        if (ageColumn < 0 || pathColumn < 0 || splitColumn < 0)
        {
            throw new RecalibrationInputException($"{name}:1: expected a header with the columns age, path and split.");
        }

        var val = new List<AgeRow>();
        var test = new List<AgeRow>();
        var lineNumber = 1;
        while (lines.MoveNext())
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(lines.Current))
            {
                continue;
            }

            var fields = CsvFields.Split(lines.Current);
            if (fields is null || fields.Count != header!.Count)
            {
                throw new RecalibrationInputException($"{name}:{lineNumber}: expected {header!.Count} columns.");
            }

            var target = fields[splitColumn] switch
            {
                "val" => val,
                "test" => test,
                _ => null,
            };
            if (target is null)
            {
                continue;
            }

            if (!double.TryParse(fields[ageColumn], NumberStyles.Float, CultureInfo.InvariantCulture, out var age) || !double.IsFinite(age))
            {
                throw new RecalibrationInputException($"{name}:{lineNumber}: age '{fields[ageColumn]}' is not a number.");
            }

            var path = Path.GetFullPath(Path.Combine(dataDir, fields[pathColumn]));
            if (!File.Exists(path))
            {
                throw new RecalibrationInputException($"{name}:{lineNumber}: image {path} not found.");
            }

            target.Add(new AgeRow(age, path, fields[splitColumn]));
        }

        if (val.Count == 0 || test.Count == 0)
        {
            throw new RecalibrationInputException($"{name} needs val and test rows (found {val.Count} and {test.Count}).");
        }

        return new AgeSplits(val, test);
    }
}
