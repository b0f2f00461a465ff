using System.Globalization;
using ConR.Api.Errors;
using ConR.Api.Models;
using ConR.Api.Options;
using ConR.Shared.Calibration;

namespace ConR.Api.Imaging;

internal static class Levels
{
    /// <summary>The interval level of a request: 0.8, 0.9 or 0.95, default 0.9, and calibrated in the card.</summary>
    /// <exception cref="ApiProblemException">400 for anything else.</exception>
    public static double Parse(string? text, CardLookup lookup)
    {
        if (string.IsNullOrEmpty(text))
        {
            return InferenceOptions.DefaultLevel;
        }

        var offered = string.Join(", ", InferenceOptions.Levels.Select(CalibrationOptions.LevelKey));
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var level)
            || !InferenceOptions.Levels.Any(l => CalibrationOptions.LevelKey(l) == CalibrationOptions.LevelKey(level)))
        {
            throw Problems.BadRequest($"level must be one of {offered} (got '{text}').");
        }

        if (!lookup.IsCalibrated(level))
        {
            throw Problems.BadRequest($"This model is calibrated for levels {string.Join(", ", lookup.Levels.Select(CalibrationOptions.LevelKey))} only (got {text}).");
        }

        return level;
    }
}
