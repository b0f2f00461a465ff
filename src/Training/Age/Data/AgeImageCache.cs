
namespace ConR.Training.Age.Data;

/// <summary>
/// The decoded images of the last data set loaded, kept for the next run with the same data flags: the runs of a
/// comparison grid differ in method and seed, not in data, and decoding ~23k JPEGs costs 15-25 s per run.
/// </summary>
public sealed class AgeImageCache
{
    private (DataKey Key, ImageStore Store, int SkippedRows)? last;

    /// <summary>Gets how many loads were answered from the cache.</summary>
    public int Hits { get; private set; }

    internal (ImageStore Store, int SkippedRows) GetOrDecode(AgeTrainConfig config, IReadOnlySet<string>? splits, Func<(ImageStore, int)> decode, TextWriter log)
    {
        var key = new DataKey(config.CsvPath, config.DataDir, config.SkipBad, config.LimitTrain, config.ImageSize, splits is null ? null : string.Join(",", splits.Order(StringComparer.Ordinal)));
        if (last is { } hit && hit.Key == key)
        {
            Hits++;
            log.WriteLine($"Reusing the {hit.Store.Count} images decoded for the previous run.");
            return (hit.Store, hit.SkippedRows);
        }

        var (store, skipped) = decode();
        last = (key, store, skipped);
        return (store, skipped);
    }

    private sealed record DataKey(string CsvPath, string DataDir, bool SkipBad, int? LimitTrain, int ImageSize, string? Splits);
}
