using ConR.Shared.Calibration;

namespace ConR.Api.Models;

/// <summary>The calibration table a request's intervals come from.</summary>
/// <param name="Table">The table.</param>
/// <param name="Mix">The label mix it is calibrated for: what the answer reports, whatever was asked.</param>
/// <param name="Note">Why <paramref name="Mix"/> differs from the mix asked for; null when it does not.</param>
internal sealed record MixTable(CalibrationTable Table, string Mix, string? Note);
