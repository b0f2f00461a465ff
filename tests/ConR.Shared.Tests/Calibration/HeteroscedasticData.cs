namespace ConR.Shared.Tests.Calibration;

/// <summary>
/// Seeded regression data whose noise grows with the label: y ~ U(0, 100), ŷ = y + N(0, 0.5 + 0.15·y), so
/// residuals near y = 100 are ~30x those near 0, as age errors grow with age.
/// </summary>
internal static class HeteroscedasticData
{
    public const double LabelMin = 0;
    public const double LabelMax = 100;

    public static (double[] Predictions, double[] Labels) Generate(int count, int seed)
    {
        var random = new Random(seed);
        var predictions = new double[count];
        var labels = new double[count];
        for (var i = 0; i < count; i++)
        {
            var y = random.NextDouble() * LabelMax;
            labels[i] = y;
            predictions[i] = y + (Gaussian(random) * (0.5 + (0.15 * y)));
        }

        return (predictions, labels);
    }

    /// <summary>20k samples split into a validation and a test half.</summary>
    public static (double[] ValP, double[] ValY, double[] TestP, double[] TestY) ValTest(int seed = 7)
    {
        var (p, y) = Generate(20_000, seed);
        return (p[..10_000], y[..10_000], p[10_000..], y[10_000..]);
    }

    // Box–Muller; 1 − U avoids log(0).
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
