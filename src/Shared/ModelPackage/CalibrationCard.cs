using ConR.Shared.Calibration;

namespace ConR.Shared.ModelPackage;

/// <summary>
/// The model's interval calibrations, one per label mix (<see cref="LabelMix"/>). A schema-1 card had one calibration,
/// fitted on the balanced val split; it is read as <paramref name="Balanced"/> with no <paramref name="Natural"/>.
/// </summary>
/// <param name="Balanced">For a balanced mix of labels (every true-label range alike): the DIR view.</param>
/// <param name="Natural">For the training split's label mix; null in cards upgraded from schema 1.</param>
public sealed record CalibrationCard(MixCalibrationCard Balanced, MixCalibrationCard? Natural = null)
{
    /// <summary>
    /// The calibration to answer <paramref name="mix"/> with, and the mix it really is: the natural one falls back to
    /// the balanced one when the card has none (a schema-1 card), never the other way round.
    /// </summary>
    /// <exception cref="ArgumentException">Not a <see cref="LabelMix"/>.</exception>
    public (MixCalibrationCard Calibration, string Mix) Resolve(string mix) => mix switch
    {
        LabelMix.Natural when Natural is not null => (Natural, LabelMix.Natural),
        LabelMix.Natural or LabelMix.Balanced => (Balanced, LabelMix.Balanced),
        _ => throw new ArgumentException($"Label mix must be '{LabelMix.Natural}' or '{LabelMix.Balanced}' (got '{mix}').", nameof(mix)),
    };

    /// <summary>Gets the calibrations present, balanced first, with their mix names.</summary>
    public IEnumerable<(string Mix, MixCalibrationCard Calibration)> Present()
    {
        yield return (LabelMix.Balanced, Balanced);
        if (Natural is not null)
        {
            yield return (LabelMix.Natural, Natural);
        }
    }
}
