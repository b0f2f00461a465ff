using ConR.Shared.Imbalance;
using ConR.Shared.Metrics;

namespace ConR.Shared.Tests.Calibration;

/// <summary>
/// Seeded DIR-like data with label shift: integer ages 0–99; the training histogram peaks at 30 and is thin in the
/// tails (few-shot), val and test are balanced (as many of every age), and a "natural" test split draws ages from the
/// training histogram. The model shrinks towards 35 and its noise grows with age, ŷ = y + 0.4·(35 − y) + N(0, 1 + 0.1·y),
/// so rare old ages are predicted among common ones: the failure that per-predicted-range calibration hides.
/// </summary>
internal static class LabelShiftData
{
    public const double LabelMin = 0;
    public const double LabelMax = 99;

    public static LabelHistogram TrainHistogram { get; } = LabelHistogram.FromCounts(
        [.. Enumerable.Range(0, 100).Select(age => (long)Math.Round(2 + (1000 * Math.Exp(-Math.Pow(age - 30, 2) / (2 * 12 * 12)))))],
        new LabelBins(1, 100));

    public static LabelShots Shots { get; } = new(TrainHistogram, new ShotThresholds());

    /// <summary><paramref name="perAge"/> samples of every age 0–99.</summary>
    public static (double[] Predictions, double[] Labels) Balanced(int perAge, int seed)
    {
        var random = new Random(seed);
        var labels = Enumerable.Range(0, 100).SelectMany(age => Enumerable.Repeat((double)age, perAge)).ToArray();
        return ([.. labels.Select(y => Predict(y, random))], labels);
    }

    /// <summary><paramref name="count"/> samples whose ages follow the training histogram.</summary>
    public static (double[] Predictions, double[] Labels) Natural(int count, int seed)
    {
        var random = new Random(seed);
        var cumulative = new double[100];
        double total = TrainHistogram.Total;
        for (var age = 0; age < 100; age++)
        {
            cumulative[age] = (age > 0 ? cumulative[age - 1] : 0) + (TrainHistogram[age] / total);
        }

        var labels = new double[count];
        for (var i = 0; i < count; i++)
        {
            var u = random.NextDouble();
            var age = Array.FindIndex(cumulative, c => c >= u);
            labels[i] = age < 0 ? 99 : age;
        }

        return ([.. labels.Select(y => Predict(y, random))], labels);
    }

    private static double Predict(double y, Random random) => y + (0.4 * (35 - y)) + (Gaussian(random) * (1 + (0.1 * y)));

    // Box–Muller; 1 − U avoids log(0).
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
