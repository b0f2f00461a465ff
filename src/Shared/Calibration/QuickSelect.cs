using System.Numerics;

namespace ConR.Shared.Calibration;

// Exact order statistics without sorting everything: per-range quantiles over millions of depth pixels.
internal static class QuickSelect
{
    /// <summary>
    /// Rearranges <paramref name="values"/> so that values[k] is the k-th smallest (0-based), everything before
    /// it is ≤ it and everything after is ≥ it; returns values[k]. Expected O(n), worst case O(n log n).
    /// Values must not be NaN.
    /// </summary>
    public static T Select<T>(Span<T> values, int k)
        where T : INumber<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, values.Length);

        int lo = 0, hi = values.Length - 1;

        // Introselect: if partitioning keeps going badly, sorting what is left bounds the worst case.
        var rounds = 2 * (BitOperations.Log2((uint)values.Length) + 1);
        while (lo < hi)
        {
            if (rounds-- == 0)
            {
                values[lo..(hi + 1)].Sort();
                return values[k];
            }

            var pivot = MedianOfThree(values[lo], values[lo + ((hi - lo) / 2)], values[hi]);

            // Three-way partition into < pivot, == pivot, > pivot: residuals of quantised predictions repeat a
            // lot, and a two-way partition degrades to quadratic on many equal values.
            int lt = lo, i = lo, gt = hi;
            while (i <= gt)
            {
                var v = values[i];
                if (v < pivot)
                {
                    (values[lt], values[i]) = (values[i], values[lt]);
                    lt++;
                    i++;
                }
                else if (v > pivot)
                {
                    (values[gt], values[i]) = (values[i], values[gt]);
                    gt--;
                }
                else
                {
                    i++;
                }
            }

            if (k < lt)
            {
                hi = lt - 1;
            }
            else if (k > gt)
            {
                lo = gt + 1;
            }
            else
            {
                return pivot;
            }
        }

        return values[k];
    }

    private static T MedianOfThree<T>(T a, T b, T c)
        where T : INumber<T> =>
        a < b
            ? (b < c ? b : (a < c ? c : a))
            : (a < c ? a : (b < c ? c : b));
}
