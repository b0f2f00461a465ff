using ConR.Shared.Imbalance;
using ConR.Shared.Imbalance.Depth;
using ConR.Shared.Metrics;
using ConR.Shared.Metrics.Depth;
using ConR.Shared.Preprocessing;
using ConR.Training.Depth.Losses;
using ConR.Training.Engine;

namespace ConR.Training.Depth.Data;

/// <summary>One decoded scene: RGB bytes (HWC) and depth in metres, both at the scaled size (shorter side = S).</summary>
public sealed record DepthScene(string RgbPath, string DepthPath, int Line, byte[] Rgb, float[] Depth, int Width, int Height);

/// <summary>
/// The splits of a depth data set decoded once into memory at the training scale, with the training pixel histogram,
/// shots, per-bin weights, the augmenters and the balanced evaluation masks.
/// </summary>
public sealed class DepthData
{
    /// <summary>First bin re-weighted, smoothed and sampled by the balanced mask (0.7 m, as NYUD2).</summary>
    public const int BucketStart = 7;

    /// <summary>Larger source images are refused: NYUD2 frames are 640x480, anything far larger is a mistake in the data.</summary>
    public const long MaxSourcePixels = 40_000_000;

    private readonly Dictionary<string, (float[][] Truth, BalancedDepthMaskSelection? Mask)> evalCache = [];

    private DepthData(DepthTrainConfig config, DepthScene[] train, DepthScene[] val, DepthScene[] test, int skipped)
    {
        Config = config;
        Train = train;
        Val = val;
        Test = test;
        SkippedRows = skipped;
        var spec = config.ModelSpec();
        double rotation = config.Augment ? config.MaxRotationDegrees : 0;
        TrainAugmenter = new DepthAugmenter(config.ImageWidth, config.ImageHeight, spec.OutputWidth, spec.OutputHeight, config.EffectiveScaleShorterSide,
            rotation, config.Augment ? 0.4 : 0, config.Augment ? 0.1 : 0);
        EvalAugmenter = new DepthAugmenter(config.ImageWidth, config.ImageHeight, spec.OutputWidth, spec.OutputHeight, config.EffectiveScaleShorterSide, 0, 0, 0);
        var counts = new long[Bins.Count];
        foreach (var scene in train)
        {
            foreach (var d in scene.Depth)
            {
                if (float.IsFinite(d) && d > 0) counts[DepthBins.BinOf(Bins, d)]++;
            }
        }
        TrainPixelCounts = counts;
        if (train.Length > 0 && counts.Sum() > 0)
        {
            Shots = DepthShots.FromPixelCounts(counts, DepthShots.NyuManyFraction, DepthShots.NyuFewFraction);
            BinWeights = DepthPixelWeights.PerBin(counts, config.ReweightMode(), config.LdsOptions(), BucketStart);
            Bni = BalancedMseBni.FromPixelCounts(counts, Bins.Width, Bins.Start, BucketStart, config.BniSigma, config.BniMinDepth);
            MeanTrainDepth = train.SelectMany(s => s.Depth).Where(d => d > 0).Average(d => (double)d);
        }
        else
        {
            Shots = Enumerable.Repeat(Shot.Few, Bins.Count).ToArray();
            BinWeights = Enumerable.Repeat(1f, Bins.Count).ToArray();
        }
    }

    public static LabelBins Bins => DepthBins.Nyu;

    public DepthTrainConfig Config { get; }
    public DepthScene[] Train { get; }
    public DepthScene[] Val { get; }
    public DepthScene[] Test { get; }
    public int SkippedRows { get; }

    /// <summary>Valid training pixels per 0.1 m bin, counted on the stored (scaled) maps.</summary>
    public long[] TrainPixelCounts { get; }

    /// <summary>Shot of each bin from the training pixel counts with NYUD2's thresholds as fractions of all pixels.</summary>
    public IReadOnlyList<Shot> Shots { get; }

    /// <summary>The shot thresholds in pixels of this training set.</summary>
    public ShotThresholds Thresholds => new(DepthShots.NyuManyFraction * TrainPixelCounts.Sum(), DepthShots.NyuFewFraction * TrainPixelCounts.Sum());

    /// <summary>Re-weighting (and LDS) weight per bin; all ones without --reweight.</summary>
    public float[] BinWeights { get; }

    public BalancedMseBni? Bni { get; }

    public double MeanTrainDepth { get; } = 2.5;

    public DepthAugmenter TrainAugmenter { get; }
    public DepthAugmenter EvalAugmenter { get; }

    public DepthScene[] Split(string split) => split switch
    {
        "train" => Train,
        "val" => Val,
        "test" => Test,
        _ => throw new ConfigurationException($"--split must be val or test (got '{split}')"),
    };

    /// <summary>Ground truth at the evaluation size (Width x Height, the official test transform) and the balanced mask over the split.</summary>
    public (float[][] Truth, bool[] Mask) EvalTruth(string split)
    {
        var (truth, selection) = EvalSplit(split);
        return (truth, selection?.Mask ?? []);
    }

    /// <summary>What the split's balanced mask scores (k, bins, left-out bins); null for an empty split.</summary>
    public BalancedMaskSummary? EvalMask(string split) => EvalSplit(split).Mask?.Summary;

    private (float[][] Truth, BalancedDepthMaskSelection? Mask) EvalSplit(string split)
    {
        lock (evalCache)
        {
            if (evalCache.TryGetValue(split, out var cached)) return cached;
            var scenes = Split(split);
            var truth = new float[scenes.Length][];
            var rgb = new float[EvalAugmenter.RgbLength];
            for (int i = 0; i < scenes.Length; i++)
            {
                truth[i] = new float[EvalAugmenter.EvalDepthLength];
                var s = scenes[i];
                EvalAugmenter.ApplyEval(s.Rgb, s.Width, s.Height, s.Depth, s.Width, s.Height, rgb, truth[i]);
            }
            BalancedDepthMaskSelection? mask;
            try
            {
                mask = scenes.Length == 0 ? null : BalancedDepthMask.Build(truth, Bins, BucketStart, Config.MaskSeed, Config.MaskMinBinPixels);
            }
            catch (ArgumentException ex)
            {
                throw new ConfigurationException($"the {split} split has no balanced mask (--mask-min-bin-pixels {Config.MaskMinBinPixels}): {ex.Message}");
            }
            evalCache[split] = (truth, mask);
            return (truth, mask);
        }
    }

    /// <summary>Reads the CSVs and decodes every image, in parallel; <paramref name="splits"/> limits which splits are decoded (train is always counted).</summary>
    public static DepthData Load(DepthTrainConfig config, TextWriter log, IReadOnlySet<string>? splits = null)
    {
        var encoding = config.DepthEncoding();
        var skippedRows = new List<string>();
        List<DepthSample> Read(string? csv, string split)
        {
            if (csv is null || (splits is not null && !splits.Contains(split))) return [];
            var rows = DepthCsvReader.Read(csv, config.DataDir, config.SkipBad, out var skipped);
            skippedRows.AddRange(skipped);
            return [.. rows];
        }
        var trainRows = Read(config.TrainCsv, "train");
        if (config.LimitTrain is int limit && trainRows.Count > limit)
        {
            var rng = new Random(12345);
            trainRows = [.. trainRows.OrderBy(_ => rng.Next()).Take(limit).OrderBy(r => r.Line)];
        }
        var valRows = Read(config.ValCsv, "val");
        var testRows = Read(config.TestCsv, "test");
        log.WriteLine($"Decoding {trainRows.Count + valRows.Count + testRows.Count} RGB-D pairs at scale {config.EffectiveScaleShorterSide}px...");
        var started = DateTime.UtcNow;
        var probe = new DepthAugmenter(config.ImageWidth, config.ImageHeight, 1, 1, config.EffectiveScaleShorterSide);
        var train = Decode(trainRows, probe, encoding, config.SkipBad, skippedRows);
        var val = Decode(valRows, probe, encoding, config.SkipBad, skippedRows);
        var test = Decode(testRows, probe, encoding, config.SkipBad, skippedRows);
        log.WriteLine($"Decoded in {(DateTime.UtcNow - started).TotalSeconds:F1} s ({skippedRows.Count} rows skipped).");
        foreach (var reason in skippedRows.Take(10)) log.WriteLine($"  skipped: {reason}");
        return new DepthData(config, train, val, test, skippedRows.Count);
    }

    private static DepthScene[] Decode(List<DepthSample> rows, DepthAugmenter probe, DepthEncoding encoding, bool skipBad, List<string> skipped)
    {
        var scenes = new DepthScene?[rows.Count];
        var errors = new string?[rows.Count];
        Parallel.For(0, rows.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, (i, state) =>
        {
            var row = rows[i];
            try
            {
                scenes[i] = DecodeOne(row, probe, encoding);
            }
            catch (Exception e) when (e is DataFormatException or ImageDecodeException or IOException or UnauthorizedAccessException)
            {
                errors[i] = e is DataFormatException ? e.Message : $"{row.RgbPath} (CSV line {row.Line}): {e.Message}";
                if (!skipBad) state.Break();
            }
        });
        var kept = new List<DepthScene>(rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            if (errors[i] is { } error)
            {
                if (!skipBad) throw new DataFormatException(error);
                skipped.Add(error);
            }
            else if (scenes[i] is { } scene)
            {
                kept.Add(scene);
            }
        }
        return [.. kept];
    }

    private static DepthScene DecodeOne(DepthSample row, DepthAugmenter probe, DepthEncoding encoding)
    {
        using var image = SafeImageDecoder.Decode(File.ReadAllBytes(row.RgbPath), MaxSourcePixels, Timeout.InfiniteTimeSpan);
        var (sw, sh) = probe.ScaledSize(image.Width, image.Height);
        byte[] rgb = new byte[sw * sh * 3];
        if (image.Width == sw && image.Height == sh)
        {
            image.CopyPixelDataTo(rgb);
        }
        else
        {
            using var resized = ImagePreprocessor.Resize(image, new ImageSpec(sw, sh, [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]));
            resized.CopyPixelDataTo(rgb);
        }
        var depth = DepthImageReader.ReadMetres(row.DepthPath, encoding, out int dw, out int dh);
        if (dw != sw || dh != sh)
        {
            // Nearest neighbour (cell centres), so every stored depth is a measured one and holes stay holes.
            var scaled = new float[sw * sh];
            for (int y = 0; y < sh; y++)
            {
                int sy = Math.Min(dh - 1, (int)((y + 0.5) * dh / sh));
                for (int x = 0; x < sw; x++)
                {
                    int sx = Math.Min(dw - 1, (int)((x + 0.5) * dw / sw));
                    scaled[(y * sw) + x] = depth[(sy * dw) + sx];
                }
            }
            depth = scaled;
        }
        return new DepthScene(row.RgbPath, row.DepthPath, row.Line, rgb, depth, sw, sh);
    }
}
