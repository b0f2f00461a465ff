using System.Numerics;
using ConR.Shared.Imbalance;

namespace ConR.Shared.Calibration;

/// <summary>
/// Fits a <see cref="LabelScale"/>: absolute residuals are summed per cell of the label, and each occupied-span cell's
/// value is the Gaussian-kernel-weighted mean over the cells around it, s(c) = Σ_j K(c − j)·sum_j / Σ_j K(c − j)·n_j,
/// so a thin cell borrows from its neighbours instead of trusting its own few samples. O(N) over the samples plus
/// O(cells²), so millions of depth pixels cost one pass.
/// </summary>
internal static class LabelScaleFitter
{
    // A scale of zero would make every score infinite or undefined; no cell may be easier than this share of the
    // average residual (only reachable where a model is exact on a whole stretch of labels).
    private const double FloorShareOfMean = 0.01;

    // Cells further than this many bandwidths away contribute exp(-32) of a weight: nothing.
    private const double KernelReach = 8;

    /// <summary>The scale of the absolute residuals |y − ŷ| by label, or null when every residual is zero.</summary>
    /// <param name="predictions">ŷ per sample, finite.</param>
    /// <param name="labels">y per sample, same length, finite.</param>
    /// <param name="step">Cell width in label units.</param>
    /// <param name="bandwidth">Kernel standard deviation in label units; &gt; 0.</param>
    public static LabelScale? Fit<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> labels, double step, double bandwidth)
        where T : struct, IFloatingPointIeee754<T>
    {
        // Cells are centred on multiples of the step, so an integer label (an age) sits in the middle of its cell, not on an edge.
        var origin = -step / 2;
        long first = long.MaxValue, last = long.MinValue;
        for (var i = 0; i < labels.Length; i++)
        {
            var cell = LabelBins.FloorIndex(double.CreateChecked(labels[i]), origin, step);
            first = Math.Min(first, cell);
            last = Math.Max(last, cell);
        }

        var cells = (int)(last - first + 1);
        var sums = new double[cells];
        var counts = new double[cells];
        var total = 0.0;
        for (var i = 0; i < labels.Length; i++)
        {
            var cell = (int)(LabelBins.FloorIndex(double.CreateChecked(labels[i]), origin, step) - first);
            var r = Math.Abs(double.CreateChecked(labels[i]) - double.CreateChecked(predictions[i]));
            sums[cell] += r;
            counts[cell]++;
            total += r;
        }

        if (!(total > 0))
        {
            return null;
        }

        var floor = FloorShareOfMean * total / labels.Length;
        var sigmaCells = bandwidth / step;
        var reach = (int)Math.Ceiling(KernelReach * sigmaCells);
        var values = new double[cells];
        for (var c = 0; c < cells; c++)
        {
            double weightedSum = 0, weightedCount = 0;
            for (var j = Math.Max(0, c - reach); j <= Math.Min(cells - 1, c + reach); j++)
            {
                if (counts[j] == 0)
                {
                    continue;
                }

                var d = (c - j) / sigmaCells;
                var k = Math.Exp(-0.5 * d * d);
                weightedSum += k * sums[j];
                weightedCount += k * counts[j];
            }

            // A cell in a gap wider than the kernel's reach has no neighbour to borrow from: the average residual.
            values[c] = Math.Max(floor, weightedCount > 0 ? weightedSum / weightedCount : total / labels.Length);
        }

        return new LabelScale(origin + (first * step), step, bandwidth, values);
    }
}
