namespace ConR.Training.Methods;

/// <summary>
/// A one-dimensional Gaussian mixture p(y) = Σ_k π_k N(y; μ_k, v_k), fitted by expectation-maximisation: the prior of
/// Balanced MSE's GAI form. Deterministic for a given seed.
/// </summary>
/// <param name="Weights">π_k, summing to 1.</param>
/// <param name="Means">μ_k.</param>
/// <param name="Variances">v_k (never below the fit's variance floor).</param>
public sealed record GaussianMixture1D(double[] Weights, double[] Means, double[] Variances)
{
    public int Components => Weights.Length;

    /// <summary>
    /// Fits K components to <paramref name="data"/>: k-means++ seeding with <paramref name="seed"/>, a few k-means
    /// (Lloyd) steps, then EM until the mean log-likelihood improves by less than <paramref name="tolerance"/>.
    /// </summary>
    /// <param name="data">At least <paramref name="components"/> finite values.</param>
    /// <param name="components">K ≥ 1.</param>
    /// <param name="seed">Seed of the initialisation.</param>
    /// <param name="maxIterations">EM iterations at most.</param>
    /// <param name="tolerance">Stop when the mean log-likelihood gains less than this.</param>
    /// <param name="varianceFloor">Added to every variance (like scikit-learn's reg_covar), so a component sitting on
    /// one repeated value (integer ages) cannot collapse to zero variance.</param>
    public static GaussianMixture1D Fit(IReadOnlyList<double> data, int components, int seed, int maxIterations = 500,
        double tolerance = 1e-8, double varianceFloor = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(components, 1);
        if (data.Count < components) throw new ArgumentException($"a {components}-component mixture needs at least {components} values (got {data.Count})", nameof(data));
        if (data.Any(v => !double.IsFinite(v))) throw new ArgumentException("the data must be finite", nameof(data));
        int n = data.Count, k = components;
        var x = data.ToArray();

        var means = KMeansPlusPlus(x, k, new Random(seed));
        var assignment = new int[n];
        for (int step = 0; step < 10; step++)
        {
            for (int i = 0; i < n; i++) assignment[i] = Nearest(means, x[i]);
            for (int c = 0; c < k; c++)
            {
                double sum = 0;
                int count = 0;
                for (int i = 0; i < n; i++)
                {
                    if (assignment[i] != c) continue;
                    sum += x[i];
                    count++;
                }
                if (count > 0) means[c] = sum / count;
            }
        }

        // Responsibilities from the hard assignment start EM (the M step below turns them into π, μ, v).
        var resp = new double[n, k];
        for (int i = 0; i < n; i++) resp[i, assignment[i]] = 1;
        var weights = new double[k];
        var variances = new double[k];
        MStep(x, resp, weights, means, variances, varianceFloor);
        double previous = double.NegativeInfinity;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            double logLikelihood = EStep(x, resp, weights, means, variances);
            MStep(x, resp, weights, means, variances, varianceFloor);
            if (logLikelihood - previous < tolerance) break;
            previous = logLikelihood;
        }
        // Components in increasing mean, so the result reads the same whatever the seeding order.
        var order = Enumerable.Range(0, k).OrderBy(c => means[c]).ToArray();
        return new GaussianMixture1D(order.Select(c => weights[c]).ToArray(), order.Select(c => means[c]).ToArray(), order.Select(c => variances[c]).ToArray());
    }

    /// <summary>Mean log-density of the values under the mixture.</summary>
    public double MeanLogLikelihood(IReadOnlyList<double> data)
    {
        double total = 0;
        var logTerms = new double[Components];
        foreach (var y in data)
        {
            for (int c = 0; c < Components; c++) logTerms[c] = Math.Log(Weights[c]) + LogNormal(y, Means[c], Variances[c]);
            total += LogSumExp(logTerms);
        }
        return total / data.Count;
    }

    private static double[] KMeansPlusPlus(double[] x, int k, Random rng)
    {
        var centres = new double[k];
        centres[0] = x[rng.Next(x.Length)];
        var distance = new double[x.Length];
        for (int c = 1; c < k; c++)
        {
            double total = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double best = double.PositiveInfinity;
                for (int j = 0; j < c; j++) best = Math.Min(best, (x[i] - centres[j]) * (x[i] - centres[j]));
                distance[i] = best;
                total += best;
            }
            if (total <= 0)
            {
                // Fewer distinct values than components: duplicates are allowed, EM keeps them apart by weight only.
                centres[c] = x[rng.Next(x.Length)];
                continue;
            }
            double target = rng.NextDouble() * total, running = 0;
            int chosen = x.Length - 1;
            for (int i = 0; i < x.Length; i++)
            {
                running += distance[i];
                if (running >= target && distance[i] > 0)
                {
                    chosen = i;
                    break;
                }
            }
            centres[c] = x[chosen];
        }
        return centres;
    }

    private static int Nearest(double[] centres, double value)
    {
        int best = 0;
        for (int c = 1; c < centres.Length; c++)
        {
            if (Math.Abs(value - centres[c]) < Math.Abs(value - centres[best])) best = c;
        }
        return best;
    }

    // Fills the responsibilities; returns the mean log-likelihood of the current parameters.
    private static double EStep(double[] x, double[,] resp, double[] weights, double[] means, double[] variances)
    {
        int k = weights.Length;
        var logTerms = new double[k];
        double total = 0;
        for (int i = 0; i < x.Length; i++)
        {
            for (int c = 0; c < k; c++)
            {
                logTerms[c] = weights[c] > 0 ? Math.Log(weights[c]) + LogNormal(x[i], means[c], variances[c]) : double.NegativeInfinity;
            }
            double norm = LogSumExp(logTerms);
            total += norm;
            for (int c = 0; c < k; c++) resp[i, c] = Math.Exp(logTerms[c] - norm);
        }
        return total / x.Length;
    }

    private static void MStep(double[] x, double[,] resp, double[] weights, double[] means, double[] variances, double varianceFloor)
    {
        int n = x.Length, k = weights.Length;
        for (int c = 0; c < k; c++)
        {
            double mass = 0, sum = 0;
            for (int i = 0; i < n; i++)
            {
                mass += resp[i, c];
                sum += resp[i, c] * x[i];
            }
            if (mass < 1e-12)
            {
                // An empty component keeps its place with a vanishing weight instead of producing NaN.
                weights[c] = 0;
                variances[c] = Math.Max(variances[c], varianceFloor);
                continue;
            }
            double mean = sum / mass, squares = 0;
            for (int i = 0; i < n; i++) squares += resp[i, c] * (x[i] - mean) * (x[i] - mean);
            weights[c] = mass / n;
            means[c] = mean;
            variances[c] = squares / mass + varianceFloor;
        }
    }

    private static double LogNormal(double y, double mean, double variance) =>
        -0.5 * (Math.Log(2 * Math.PI * variance) + (y - mean) * (y - mean) / variance);

    private static double LogSumExp(double[] values)
    {
        double max = values.Max();
        if (double.IsNegativeInfinity(max)) return max;
        double sum = 0;
        foreach (var v in values) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }
}
