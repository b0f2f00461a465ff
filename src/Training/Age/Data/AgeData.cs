using ConR.Shared.Imbalance;
using ConR.Shared.Preprocessing;

namespace ConR.Training.Age.Data;

/// <summary>The three splits of an age DIR data set decoded once into memory, with training histogram and weights.</summary>
public sealed class AgeData
{
    private AgeData(ImageStore store, int[] train, int[] val, int[] test, LabelHistogram histogram, float[] weights, int skippedRows)
    {
        Store = store;
        Train = train;
        Val = val;
        Test = test;
        TrainHistogram = histogram;
        Weights = weights;
        SkippedRows = skippedRows;
    }

    public ImageStore Store { get; }
    public int[] Train { get; }
    public int[] Val { get; }
    public int[] Test { get; }
    public LabelHistogram TrainHistogram { get; }

    /// <summary>Per store index: the re-weighting/LDS weight of the sample's label (1 without re-weighting).</summary>
    public float[] Weights { get; }

    public int SkippedRows { get; }

    public ImageSpec Spec => ImageSpec.Age(Store.Size);

    public float Label(int index) => Store.Sample(index).Label;

    /// <param name="config">The run's data flags (CSV, folder, image size, train limit) and re-weighting.</param>
    /// <param name="log">Progress lines.</param>
    /// <param name="splits">The splits to decode (all when null).</param>
    /// <param name="cache">Decoded images of an earlier load with the same data flags (the comparison grid's runs).</param>
    public static AgeData Load(AgeTrainConfig config, TextWriter log, IReadOnlySet<string>? splits = null, AgeImageCache? cache = null)
    {
        var (store, skippedRows) = cache is null ? Decode(config, log, splits) : cache.GetOrDecode(config, splits, () => Decode(config, log, splits), log);
        int[] Indices(string split) => Enumerable.Range(0, store.Count).Where(i => store.Sample(i).Split == split).ToArray();
        var trainIdx = Indices("train");
        var histogram = LabelHistogram.FromLabels(trainIdx.Select(i => (double)store.Sample(i).Label), LabelBins.Age);
        var weights = new float[store.Count];
        if (trainIdx.Length > 0)
        {
            var table = SampleWeights.Create(histogram, config.ReweightMode(), config.LdsOptions());
            for (int i = 0; i < store.Count; i++) weights[i] = (float)table.WeightFor(store.Sample(i).Label);
        }
        return new AgeData(store, trainIdx, Indices("val"), Indices("test"), histogram, weights, skippedRows);
    }

    private static (ImageStore Store, int SkippedRows) Decode(AgeTrainConfig config, TextWriter log, IReadOnlySet<string>? splits)
    {
        var csv = DirCsvReader.Read(config.CsvPath, config.DataDir, config.SkipBad, config.MaxLabel);
        var wanted = csv.Samples.Where(s => splits is null || splits.Contains(s.Split)).ToList();
        if (config.LimitTrain is int limit)
        {
            // A deterministic subset of train for quick runs; val and test stay whole so numbers stay comparable.
            var rng = new Random(12345);
            var train = wanted.Where(s => s.Split == "train").OrderBy(_ => rng.Next()).Take(limit).ToHashSet();
            wanted = wanted.Where(s => s.Split != "train" || train.Contains(s)).ToList();
        }
        log.WriteLine($"Decoding {wanted.Count} images at {config.ImageSize}px ({csv.Skipped.Count} bad CSV rows skipped)...");
        var started = DateTime.UtcNow;
        var store = ImageStore.Load(wanted, config.ImageSize, config.SkipBad, Math.Max(1, Environment.ProcessorCount));
        log.WriteLine($"Decoded in {(DateTime.UtcNow - started).TotalSeconds:F1} s ({store.Skipped.Count} unreadable images skipped).");
        foreach (var reason in csv.Skipped.Concat(store.Skipped).Take(10)) log.WriteLine($"  skipped: {reason}");
        return (store, csv.Skipped.Count + store.Skipped.Count);
    }
}
