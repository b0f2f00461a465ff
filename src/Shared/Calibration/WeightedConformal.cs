using System.Numerics;

namespace ConR.Shared.Calibration;

// Weighted split-conformal quantiles (Tibshirani et al. 2019, "Conformal prediction under covariate shift"), for
// importance weights w = p_target(y) / p_val(y) under label shift.
//
// The exact quantile puts the test point's own weight w_test at +∞: q = min{ r : Σ_{r_i ≤ r} w_i ≥ level·(W + w_test) }.
// Under label shift w_test depends on the unknown label, so it is replaced by its expectation for a test point drawn
// from the target mix, E[w_test] = Σw² / Σw = W / n_eff (the target samples a val sample in proportion to its
// weight). The condition becomes Σ_{r_i ≤ r} w_i / W ≥ level·(n_eff + 1) / n_eff: the unweighted rank ⌈(n + 1)·level⌉
// with n replaced by the effective sample size n_eff = (Σw)² / Σw². With equal weights it is that rank exactly.
internal static class WeightedConformal
{
    // As ConformalCalibrator.RankSlack: a level such as 0.95 is a hair off in binary.
    private const double Slack = 1e-12;

    /// <summary>
    /// The half-width per level over <paramref name="residuals"/> weighted by <paramref name="weights"/> (same length,
    /// non-negative, positive sum). Sorts both spans together. Capped when the required weight exceeds the total, in
    /// which case the largest residual with positive weight is used.
    /// </summary>
    public static (Dictionary<string, double> HalfWidths, bool Capped, double EffectiveCount) HalfWidths<T>(
        Span<T> residuals,
        Span<T> weights,
        IReadOnlyList<double> levels)
        where T : struct, IFloatingPointIeee754<T>
    {
        residuals.Sort(weights);
        double total = 0, squares = 0;
        var last = -1;
        for (var i = 0; i < weights.Length; i++)
        {
            var w = double.CreateChecked(weights[i]);
            total += w;
            squares += w * w;
            if (w > 0)
            {
                last = i;
            }
        }

        var effective = squares == total ? total : total * total / squares;
        var halfWidths = new Dictionary<string, double>(levels.Count);
        var capped = false;
        double cumulative = 0;
        var index = -1;
        foreach (var level in levels.OrderBy(level => level))
        {
            var needed = level * (effective + 1) / effective * total * (1 - Slack);

            // Levels ascend, so each search continues where the previous one stopped. The weight first reaches
            // `needed` on a sample of positive weight; past `last` only zero weights remain.
            while (cumulative < needed && index < last)
            {
                index++;
                cumulative += double.CreateChecked(weights[index]);
            }

            if (cumulative < needed)
            {
                // Too little effective weight for this level: the largest residual is the best the data can say.
                capped = true;
            }

            halfWidths[CalibrationOptions.LevelKey(level)] = double.CreateChecked(residuals[index]);
        }

        return (halfWidths, capped, effective);
    }
}
