namespace ConR.Shared.Calibration;

// Merges sparse ranges so every calibrated range has enough validation samples for a stable quantile.
internal static class RangeMerger
{
    /// <summary>
    /// Repeatedly merges the smallest group (the lowest one on a tie) with its smaller neighbour (the lower one on a
    /// tie) until every group has at least <paramref name="minSamples"/> or one group is left. Size is
    /// <see cref="RangeGroup.Size"/>: the sample count, or the effective sample size of a weighted fit.
    /// </summary>
    /// <param name="ranges">Occupied grid ranges, sorted by bin, not overlapping, each with Count ≥ 1.</param>
    /// <param name="minSamples">Samples a group needs to stand alone.</param>
    /// <returns>The groups in order; a merged group spans from its first to its last bin, gaps included.</returns>
    public static List<RangeGroup> Merge(IReadOnlyList<RangeGroup> ranges, int minSamples)
    {
        var n = ranges.Count;
        var groups = ranges.ToArray();
        var previous = new int[n];
        var next = new int[n];
        var alive = new bool[n];

        // A priority queue with lazy deletion keeps this O(G log G): a broken model can scatter predictions
        // over very many ranges, where repeated linear scans would be quadratic.
        var queue = new PriorityQueue<int, (double Size, int Index)>(n);
        for (var i = 0; i < n; i++)
        {
            previous[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
            alive[i] = true;
            queue.Enqueue(i, (groups[i].Size, i));
        }

        var aliveCount = n;
        while (aliveCount > 1 && queue.TryDequeue(out var i, out var priority))
        {
            // A merged group is re-queued with its new size, so an entry whose size differs is stale. (An effective
            // sample size can shrink when a heavy sample joins, so "only grows" cannot be assumed.)
            if (!alive[i] || priority.Size != groups[i].Size)
            {
                continue;
            }

            if (groups[i].Size >= minSamples)
            {
                break;
            }

            var left = previous[i];
            var right = next[i];
            var target = right < 0 || (left >= 0 && groups[left].Size <= groups[right].Size) ? left : right;

            groups[target] = groups[target].MergedWith(groups[i]);
            alive[i] = false;
            aliveCount--;
            if (left >= 0)
            {
                next[left] = right;
            }

            if (right >= 0)
            {
                previous[right] = left;
            }

            queue.Enqueue(target, (groups[target].Size, target));
        }

        var result = new List<RangeGroup>(aliveCount);
        for (var i = Array.IndexOf(alive, true); i >= 0; i = next[i])
        {
            result.Add(groups[i]);
        }

        return result;
    }
}
