using ConR.Shared.Imbalance;
using ConR.Shared.Imbalance.Depth;

namespace ConR.Shared.Metrics.Depth;

/// <summary>
/// Streams depth predictions into running sums and summarises them per shot (docs/conr-digest.md §3.5):
/// RMSE, MAE, AbsRel, log10 and δ1..δ3 over every valid pixel ("All") and over the pixels whose ground-truth bin
/// belongs to each shot. Memory is a few sums per bin; <see cref="Add"/> allocates nothing. Not thread-safe: use
/// one accumulator per thread and <see cref="Merge"/> them.
/// </summary>
/// <remarks>
/// <para>A pixel is valid when its mask entry is true (or no mask is given) and its ground truth is finite and
/// &gt; 0 m; other pixels are ignored (the official evaluator drops NaN targets; a depth of 0 is "no data").</para>
/// <para>RMSE and MAE use the raw prediction. AbsRel, log10 and the δ ratios use the prediction clamped to at
/// least <see cref="MinPrediction"/>, so a zero or negative prediction gives a large but finite error instead of
/// NaN or infinity. A NaN prediction is not clamped: it turns the sums it enters into NaN and fails every δ.</para>
/// <para>A pixel's bin is <see cref="DepthBins.BinOf"/> of its ground truth.</para>
/// <para>δk counts max(ŷ/y, y/ŷ) ≤ 1.25^k, as written in the digest.</para>
/// </remarks>
public sealed class DepthMetricsAccumulator
{
    /// <summary>Smallest prediction, in metres, used for AbsRel, log10 and the δ ratios (1 mm).</summary>
    public const double MinPrediction = 1e-3;

    private const double Delta1Limit = 1.25;
    private const double Delta2Limit = 1.25 * 1.25;
    private const double Delta3Limit = 1.25 * 1.25 * 1.25;

    private readonly Sums[] _perBin;
    private readonly Shot[] _shots;

    /// <param name="bins">Ground-truth depth bins (NYUD2: 100 bins of 0.1 m from 0).</param>
    /// <param name="shotPerBin">Shot of each bin; one entry per bin (see <see cref="DepthShots"/>).</param>
    public DepthMetricsAccumulator(LabelBins bins, IReadOnlyList<Shot> shotPerBin)
    {
        ArgumentNullException.ThrowIfNull(bins);
        ArgumentNullException.ThrowIfNull(shotPerBin);
        if (shotPerBin.Count != bins.Count)
        {
            throw new ArgumentException($"Expected one shot per bin ({bins.Count}), got {shotPerBin.Count}.", nameof(shotPerBin));
        }

        _shots = new Shot[bins.Count];
        for (var b = 0; b < _shots.Length; b++)
        {
            if (!Enum.IsDefined(shotPerBin[b]))
            {
                throw new ArgumentOutOfRangeException(nameof(shotPerBin), shotPerBin[b], $"Bin {b} has an unknown shot.");
            }

            _shots[b] = shotPerBin[b];
        }

        Bins = bins;
        _perBin = new Sums[bins.Count];
    }

    /// <summary>The ground-truth binning.</summary>
    public LabelBins Bins { get; }

    /// <summary>Shot of each bin.</summary>
    public IReadOnlyList<Shot> ShotPerBin => _shots;

    /// <summary>Valid pixels added so far.</summary>
    public long Pixels
    {
        get
        {
            long total = 0;
            foreach (var sums in _perBin)
            {
                total += sums.Count;
            }

            return total;
        }
    }

    /// <summary>Adds one depth map (or any set of pixels).</summary>
    /// <param name="prediction">Predicted depth in metres.</param>
    /// <param name="truth">Ground-truth depth in metres, same length.</param>
    /// <param name="mask">Pixels to evaluate, same length; an empty span evaluates every pixel.</param>
    public void Add(ReadOnlySpan<float> prediction, ReadOnlySpan<float> truth, ReadOnlySpan<bool> mask)
    {
        if (prediction.Length != truth.Length)
        {
            throw new ArgumentException($"Got {prediction.Length} predicted pixels for {truth.Length} ground-truth pixels.", nameof(prediction));
        }

        if (!mask.IsEmpty && mask.Length != truth.Length)
        {
            throw new ArgumentException($"The mask has {mask.Length} entries for {truth.Length} pixels (pass an empty span for no mask).", nameof(mask));
        }

        var useMask = !mask.IsEmpty;
        for (var i = 0; i < truth.Length; i++)
        {
            double y = truth[i];
            if ((useMask && !mask[i]) || !double.IsFinite(y) || y <= 0)
            {
                continue;
            }

            double p = prediction[i];
            ref var sums = ref _perBin[DepthBins.BinOf(Bins, truth[i])];
            var error = p - y;
            var clamped = p < MinPrediction ? MinPrediction : p; // NaN stays NaN
            var quotient = clamped / y;
            var ratio = Math.Max(quotient, 1 / quotient);
            sums.Count++;
            sums.Square += error * error;
            sums.Abs += Math.Abs(error);
            sums.Rel += Math.Abs(clamped - y) / y;
            sums.Log10 += Math.Abs(Math.Log10(quotient)); // = |log10 ŷ − log10 y|
            if (ratio <= Delta1Limit)
            {
                sums.Delta1++;
            }

            if (ratio <= Delta2Limit)
            {
                sums.Delta2++;
            }

            if (ratio <= Delta3Limit)
            {
                sums.Delta3++;
            }
        }
    }

    /// <summary>Adds another accumulator's sums (same bins and shots) to this one.</summary>
    public void Merge(DepthMetricsAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Bins.Count != Bins.Count || other.Bins.Width != Bins.Width || other.Bins.Start != Bins.Start
            || !other._shots.AsSpan().SequenceEqual(_shots))
        {
            throw new ArgumentException("Only accumulators with the same bins and shots can be merged.", nameof(other));
        }

        for (var b = 0; b < _perBin.Length; b++)
        {
            _perBin[b].Add(other._perBin[b]);
        }
    }

    /// <summary>Overall and per-shot summaries of every pixel added so far.</summary>
    public DepthDirTable Result()
    {
        Sums all = default, many = default, median = default, few = default;
        for (var b = 0; b < _perBin.Length; b++)
        {
            all.Add(_perBin[b]);
            switch (_shots[b])
            {
                case Shot.Many:
                    many.Add(_perBin[b]);
                    break;
                case Shot.Median:
                    median.Add(_perBin[b]);
                    break;
                default:
                    few.Add(_perBin[b]);
                    break;
            }
        }

        return new DepthDirTable(all.Summary(), many.Summary(), median.Summary(), few.Summary());
    }

    /// <summary>One summary per ground-truth bin, in bin order (empty bins give <see cref="DepthErrorSummary.Empty"/>).</summary>
    public IReadOnlyList<DepthErrorSummary> PerBin() => _perBin.Select(s => s.Summary()).ToArray();

    private struct Sums
    {
        public long Count;
        public double Square;
        public double Abs;
        public double Rel;
        public double Log10;
        public long Delta1;
        public long Delta2;
        public long Delta3;

        public void Add(in Sums other)
        {
            Count += other.Count;
            Square += other.Square;
            Abs += other.Abs;
            Rel += other.Rel;
            Log10 += other.Log10;
            Delta1 += other.Delta1;
            Delta2 += other.Delta2;
            Delta3 += other.Delta3;
        }

        public readonly DepthErrorSummary Summary()
        {
            if (Count == 0)
            {
                return DepthErrorSummary.Empty;
            }

            double n = Count;
            return new DepthErrorSummary(
                Count, Math.Sqrt(Square / n), Abs / n, Rel / n, Log10 / n, Delta1 / n, Delta2 / n, Delta3 / n);
        }
    }
}
