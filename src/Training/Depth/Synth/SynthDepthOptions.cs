namespace ConR.Training.Depth.Synth;

/// <summary>Settings of a SynthDepth-DIR generation run.</summary>
/// <param name="OutputDir">Directory that receives rgb/, depth/, the split CSVs, histogram.csv and summary.json.</param>
/// <param name="Count">Number of scenes.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="Seed">Scene i is a function of (Seed, i) alone.</param>
/// <param name="TrainFraction">Share of scenes in synth_train.csv (the first ones by index).</param>
/// <param name="ValFraction">Share of scenes in synth_val.csv (the next ones); the rest go to synth_test.csv.</param>
public sealed record SynthDepthOptions(
    string OutputDir, int Count, int Width, int Height, int Seed, double TrainFraction = 0.8, double ValFraction = 0.1)
{
    public const int MinSize = 8;
    public const int MaxSize = 4096;

    /// <summary>Gets the number of scenes rendered at once; -1 (the default) uses every core. Output does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Gets what the generator adds to the first generator's scenes; <see cref="SynthRealism.None"/> (the default) is the first generator.</summary>
    public SynthRealism Realism { get; init; } = SynthRealism.None;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputDir)) throw new ArgumentException("An output directory is required.", nameof(OutputDir));
        if (Count < 1) throw new ArgumentOutOfRangeException(nameof(Count), Count, "Count must be at least 1.");
        ValidateSize(Width, Height);
        if (!(TrainFraction >= 0 && TrainFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(TrainFraction), TrainFraction, "TrainFraction must be in [0, 1].");
        if (!(ValFraction >= 0 && ValFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(ValFraction), ValFraction, "ValFraction must be in [0, 1].");
        if (TrainFraction + ValFraction > 1 + 1e-9)
        {
            throw new ArgumentOutOfRangeException(nameof(ValFraction), ValFraction, $"TrainFraction + ValFraction must not exceed 1 (got {TrainFraction + ValFraction}).");
        }

        ArgumentNullException.ThrowIfNull(Realism);
        Realism.Validate();
        if (MaxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be -1 (all cores) or at least 1.");
        }
    }

    /// <summary>Scenes per split: train = round(Count·TrainFraction), val = round(Count·ValFraction), test = the rest.</summary>
    public (int Train, int Val, int Test) SplitCounts()
    {
        int train = (int)Math.Round(Count * TrainFraction, MidpointRounding.AwayFromZero);
        train = Math.Clamp(train, 0, Count);
        int val = Math.Clamp((int)Math.Round(Count * ValFraction, MidpointRounding.AwayFromZero), 0, Count - train);
        return (train, val, Count - train - val);
    }

    internal static void ValidateSize(int width, int height)
    {
        if (width is < MinSize or > MaxSize) throw new ArgumentOutOfRangeException(nameof(width), width, $"Width must be in [{MinSize}, {MaxSize}].");
        if (height is < MinSize or > MaxSize) throw new ArgumentOutOfRangeException(nameof(height), height, $"Height must be in [{MinSize}, {MaxSize}].");
    }
}
