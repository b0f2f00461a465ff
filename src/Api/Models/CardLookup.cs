using ConR.Api.Imaging;
using ConR.Shared.Calibration;
using ConR.Shared.Imbalance;
using ConR.Shared.Metrics;
using ConR.Shared.ModelPackage;

namespace ConR.Api.Models;

/// <summary>
/// The model card's tables in the form the request path needs: the training histogram's bin and shot of a label,
/// and the validation range-error band (e.g. 5 years, 0.5 m) a label falls in. Built once per loaded version.
/// </summary>
internal sealed class CardLookup
{
    // A value this close (in band widths) below an edge counts as on it, as LabelBins does.
    private const double EdgeTolerance = 1e-9;

    private readonly LabelBins bins;
    private readonly long[] counts;
    private readonly string[] shots;
    private readonly Dictionary<long, RangeError> bands;

    public CardLookup(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var histogram = card.TrainHistogram;
        bins = new LabelBins(histogram.BinWidth, histogram.Counts.Count, histogram.Start);
        counts = [.. histogram.Counts];
        shots = [.. histogram.Shots];
        ShotCodes = [.. shots.Select(s => (byte)ShotLabels.Parse(s))];
        Calibration = card.Calibration;
        var grid = card.Calibration.Balanced.Table.Options;
        LabelMin = card.LabelRange.Min;
        LabelMax = card.LabelRange.Max;

        // RangeErrors writes consecutive equal-width bands; their grid is the first band's. Without any, the
        // calibration grid stands in (and no band has a validation error).
        var errors = card.ValRangeErrors;
        (BandStart, BandWidth) = errors.Count > 0 && errors[0].To > errors[0].From
            ? (errors[0].From, errors[0].To - errors[0].From)
            : (grid.RangeStart, grid.RangeWidth);
        bands = [];
        foreach (var band in errors)
        {
            var index = BandIndex(band.From);
            if (Math.Abs(BandFrom(index) - band.From) <= EdgeTolerance * BandWidth && Math.Abs(band.To - band.From - BandWidth) <= EdgeTolerance * BandWidth)
            {
                bands[index] = band;
            }
        }
    }

    /// <summary>Gets the card's calibrations, one per label mix.</summary>
    public CalibrationCard Calibration { get; }

    public double LabelMin { get; }

    public double LabelMax { get; }

    public double BandStart { get; }

    public double BandWidth { get; }

    /// <summary>Gets the <see cref="Shot"/> of each histogram bin as a byte, for per-pixel loops.</summary>
    public byte[] ShotCodes { get; }

    public int HistogramBin(double label) => bins.BinOf(label);

    public long TrainCount(int bin) => counts[bin];

    public string ShotOfBin(int bin) => shots[bin];

    /// <summary>The band index of <paramref name="label"/> on the band grid (unbounded: labels outside get indices outside).</summary>
    public long BandIndex(double label)
    {
        var q = (label - BandStart) / BandWidth;
        var nearest = Math.Round(q);
        return (long)Math.Clamp(Math.Abs(q - nearest) <= EdgeTolerance ? nearest : Math.Floor(q), int.MinValue, int.MaxValue);
    }

    public double BandFrom(long index) => BandStart + (index * BandWidth);

    public double BandTo(long index) => BandStart + ((index + 1) * BandWidth);

    /// <summary>The validation errors of band <paramref name="index"/>, or null where the card has none.</summary>
    public RangeError? Band(long index) => bands.GetValueOrDefault(index);

    public double Clip(double prediction) => Math.Clamp(prediction, LabelMin, LabelMax);

    /// <summary>Whether <paramref name="level"/> is one of the card's calibrated levels (the card validator makes both mixes agree).</summary>
    public bool IsCalibrated(double level) =>
        Levels.Any(l => CalibrationOptions.LevelKey(l) == CalibrationOptions.LevelKey(level));

    public IReadOnlyList<double> Levels => Calibration.Balanced.Table.Options.Levels;

    /// <summary>
    /// The table for intervals of the <paramref name="requestedMix"/>, the mix it really is, and a note when that differs
    /// (a schema-1 card has no natural-mix table).
    /// </summary>
    public MixTable TableFor(string requestedMix)
    {
        var (calibration, mix) = Calibration.Resolve(requestedMix);
        return new MixTable(calibration.Table, mix, Mixes.FallbackNote(requestedMix, mix));
    }
}
