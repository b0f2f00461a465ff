using ConR.Api.Errors;
using ConR.Api.Models;

namespace ConR.Api.Age;

internal static class AgeAnswer
{
    /// <summary>The response for one raw model output: interval from the mix's calibration table, band and shot from the card.</summary>
    public static AgeResponse Create(LoadedModel model, float raw, double level, MixTable calibration, double elapsedMs)
    {
        if (!float.IsFinite(raw))
        {
            throw Problems.InferenceFailed($"Model '{model.Name}' produced {raw} for this image.");
        }

        var lookup = model.Profile.Lookup;

        // The interval is looked up with the raw prediction, as the calibration and its coverage were measured.
        var interval = calibration.Table.Interval(raw, level);
        var age = lookup.Clip(raw);
        var bin = lookup.HistogramBin(Math.Round(age, MidpointRounding.AwayFromZero));
        var band = lookup.BandIndex(age);
        var valMae = lookup.Band(band)?.Mae;
        return new AgeResponse(
            Round(age),
            new IntervalDto(Round(interval.Lower), Round(interval.Upper), level, calibration.Mix, calibration.Note),
            new AgeRangeDto(lookup.BandFrom(band), lookup.BandTo(band), lookup.ShotOfBin(bin), lookup.TrainCount(bin), valMae is double m && double.IsFinite(m) ? Round(m) : null),
            new ModelRef(model.Name, model.Version),
            Math.Round(elapsedMs, 2));
    }

    private static double Round(double value) => Math.Round(value, 2);
}
