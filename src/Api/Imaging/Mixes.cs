using ConR.Api.Errors;
using ConR.Api.Options;
using ConR.Shared.Calibration;

namespace ConR.Api.Imaging;

internal static class Mixes
{
    /// <summary>The label mix a request asks for: natural or balanced, default <see cref="InferenceOptions.DefaultMix"/>.</summary>
    /// <exception cref="ApiProblemException">400 for anything else.</exception>
    public static string Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return InferenceOptions.DefaultMix;
        }

        return LabelMix.IsKnown(text)
            ? text
            : throw Problems.BadRequest($"mix must be {LabelMix.Natural} or {LabelMix.Balanced} (got '{text}').");
    }

    /// <summary>
    /// Why the interval is not of the mix asked for, or null when it is: a card from before schema 2 has only the
    /// balanced calibration, and natural falls back to it.
    /// </summary>
    public static string? FallbackNote(string requested, string used) =>
        requested == used
            ? null
            : $"This model's card has no {requested}-mix calibration (it was exported before card schema 2), so the interval " +
              $"is the {used} one: calibrated for a balanced mix of labels, usually wider than a {requested}-mix interval would be.";
}
