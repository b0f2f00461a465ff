using System.Text;
using ConR.Training.Engine;

namespace ConR.Training.Depth.Data;

/// <summary>
/// Reads an NYUD2-DIR split file (docs/conr-digest.md §3.3, e.g. <c>nyu2_test.csv</c>): no header, two columns, the
/// RGB path then the depth path, such as <c>data/nyu2_test/00000_colors.png,data/nyu2_test/00000_depth.png</c>.
/// </summary>
/// <remarks>
/// <para>The official loader drops the first path component (<c>data/</c>) and joins the rest to the data directory.
/// Here a path whose first component is exactly <c>data</c> is resolved that way when the stripped file exists;
/// otherwise (no <c>data/</c> prefix, or a data directory that itself contains <c>data/</c>) it is joined as is.
/// Absolute paths are kept. Either separator, / or \, splits components.</para>
/// <para>Fields are trimmed and may be double-quoted (<see cref="CsvFields"/>, as in the age split files); blank lines are ignored.</para>
/// </remarks>
public static class DepthCsvReader
{
    private const string DataPrefix = "data";

    /// <param name="csvPath">The split file.</param>
    /// <param name="dataDir">The directory the paths are relative to (the official <c>--data_dir</c>).</param>
    /// <param name="skipBad">
    /// false: the first bad row throws <see cref="DataFormatException"/>; true: bad rows are skipped and listed in
    /// <paramref name="skipped"/>. A missing or empty file always throws.
    /// </param>
    /// <param name="skipped">One "file:line: reason" message per skipped row (empty unless skipBad).</param>
    /// <returns>The valid rows, in file order.</returns>
    public static IReadOnlyList<DepthSample> Read(string csvPath, string dataDir, bool skipBad, out IReadOnlyList<string> skipped)
    {
        ArgumentException.ThrowIfNullOrEmpty(csvPath);
        ArgumentException.ThrowIfNullOrEmpty(dataDir);
        string name = Path.GetFileName(csvPath);
        if (!File.Exists(csvPath)) throw new DataFormatException($"{name}: split file not found at {Path.GetFullPath(csvPath)}.");
        string root = Path.GetFullPath(dataDir);

        var samples = new List<DepthSample>();
        var bad = new List<string>();
        int lineNumber = 0;
        bool anyRow = false;
        foreach (string line in File.ReadLines(csvPath, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            anyRow = true;
            var (sample, error) = ParseRow(line, lineNumber, root);
            if (sample is not null)
            {
                samples.Add(sample);
                continue;
            }
            string message = $"{name}:{lineNumber}: {error}";
            if (!skipBad) throw new DataFormatException(message);
            bad.Add(message);
        }
        if (!anyRow) throw new DataFormatException($"{name}:1: the file is empty; expected rows of 'rgb path,depth path'.");
        skipped = bad;
        return samples;
    }

    /// <summary>
    /// Resolves one CSV path: with a leading <c>data</c> component, the rest joined to <paramref name="root"/> when
    /// that file exists; otherwise the whole path joined to it. The result need not exist.
    /// </summary>
    internal static string Resolve(string root, string path)
    {
        int separator = path.IndexOfAny(['/', '\\']);
        if (separator > 0 && path.AsSpan(0, separator).SequenceEqual(DataPrefix))
        {
            string rest = path[(separator + 1)..].TrimStart('/', '\\');
            if (rest.Length > 0)
            {
                string stripped = Path.GetFullPath(Path.Combine(root, rest));
                if (File.Exists(stripped)) return stripped;
            }
        }
        return Path.GetFullPath(Path.Combine(root, path));
    }

    private static (DepthSample? Sample, string? Error) ParseRow(string line, int lineNumber, string root)
    {
        var fields = CsvFields.Split(line);
        if (fields is null) return (null, "unterminated quote.");
        if (fields.Count != 2) return (null, $"expected 2 columns (rgb path, depth path), found {fields.Count}.");
        string rgb = fields[0], depth = fields[1];
        if (rgb.Length == 0) return (null, "RGB path is empty.");
        if (depth.Length == 0) return (null, "depth path is empty.");

        string rgbFull = Resolve(root, rgb);
        if (!File.Exists(rgbFull)) return (null, $"RGB image '{rgb}' not found (looked for {rgbFull}).");
        string depthFull = Resolve(root, depth);
        if (!File.Exists(depthFull)) return (null, $"depth map '{depth}' not found (looked for {depthFull}).");
        return (new DepthSample(rgbFull, depthFull, lineNumber), null);
    }
}
